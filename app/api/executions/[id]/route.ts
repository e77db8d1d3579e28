import { getExecution } from "@/lib/executions/list";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/executions/:id – one execution
export const GET = route({ role: "viewer" }, ({ actor, params }) => getExecution({ actor, input: { id: params.id } }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
