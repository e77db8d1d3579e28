import { otherMethods, route } from "@/lib/http/route";
import { DeliveryQuery, listDeliveries } from "@/lib/notifications";

// GET /api/channels/:id/deliveries – the channel's deliveries, newest first, paginated (operator)
export const GET = route({ role: "operator", query: DeliveryQuery }, ({ actor, query, params }) => listDeliveries({ actor, input: { ...query, channelId: params.id } }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
