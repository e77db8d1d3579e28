import { otherMethods, route } from "@/lib/http/route";
import { testChannel } from "@/lib/notifications";

// POST /api/channels/:id/test – send a test notification now; answers with the endpoint's status or the connection error (admin)
export const POST = route({ role: "admin" }, ({ actor, params }) => testChannel({ actor, input: { id: params.id } }));

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
