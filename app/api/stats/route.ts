import { stats } from "@/lib/executions/stats";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/stats – counts, success rate and durations
export const GET = route({ role: "viewer" }, ({ actor }) => stats({ actor }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
