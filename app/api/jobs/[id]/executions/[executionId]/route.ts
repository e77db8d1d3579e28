import { getExecution } from "@/lib/executions/list";
import { route } from "@/lib/http/route";

// GET /api/jobs/:id/executions/:executionId – one execution of this job (404 if it belongs to another)
export const GET = route({ role: "viewer" }, ({ actor, params }) => getExecution({ actor, input: { id: params.executionId, jobId: params.id } }));
