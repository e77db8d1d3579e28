import { activeExecutions } from "@/lib/executions/list";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/executions/active – QUEUED and RUNNING executions
export const GET = route({ role: "viewer" }, ({ actor }) => activeExecutions({ actor }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
