import { cleanupStalled } from "@/lib/engine/sweep";
import { route, otherMethods } from "@/lib/http/route";

// POST /api/executions/cleanup-stalled – run the stalled sweep now (admin)
export const POST = route({ role: "admin" }, ({ actor }) => cleanupStalled({ actor }));

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
