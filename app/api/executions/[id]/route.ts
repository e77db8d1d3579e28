import { getExecution } from "@/lib/executions/list";
import { route } from "@/lib/http/route";

// GET /api/executions/:id – one execution
export const GET = route({ role: "viewer" }, ({ actor, params }) => getExecution({ actor, input: { id: params.id } }));
