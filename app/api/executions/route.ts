import { ExecutionListQuery, listExecutions } from "@/lib/executions/list";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/executions – history with filters, newest first
export const GET = route({ role: "viewer", query: ExecutionListQuery }, ({ actor, query }) => listExecutions({ actor, input: query }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
