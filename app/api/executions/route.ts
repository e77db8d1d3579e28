import { ExecutionListQuery, listExecutions } from "@/lib/executions/list";
import { route } from "@/lib/http/route";

// GET /api/executions – history with filters, newest first
export const GET = route({ role: "viewer", query: ExecutionListQuery }, ({ actor, query }) => listExecutions({ actor, input: query }));
