import { route } from "@/lib/http/route";
import { DeliveryQuery, listDeliveries } from "@/lib/notifications";

// GET /api/channels/:id/deliveries – the channel's deliveries, newest first, paginated (operator)
export const GET = route({ role: "operator", query: DeliveryQuery }, ({ actor, query, params }) => listDeliveries({ actor, input: { ...query, channelId: params.id } }));
