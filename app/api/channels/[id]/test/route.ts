import { route } from "@/lib/http/route";
import { testChannel } from "@/lib/notifications";

// POST /api/channels/:id/test – send a test notification now; answers with the endpoint's status or the connection error (admin)
export const POST = route({ role: "admin" }, ({ actor, params }) => testChannel({ actor, input: { id: params.id } }));
