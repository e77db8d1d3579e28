import { otherMethods, route } from "@/lib/http/route";
import { retryDelivery } from "@/lib/notifications";

// POST /api/channels/:id/deliveries/:deliveryId/retry – send a failed delivery again, with five new attempts (admin)
export const POST = route({ role: "admin" }, ({ actor, params }) => retryDelivery({ actor, input: { channelId: params.id, deliveryId: params.deliveryId } }));

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
