import { otherMethods, route } from "@/lib/http/route";
import { ChannelPatch, deleteChannel, getChannel, updateChannel } from "@/lib/notifications";

// GET /api/channels/:id – one channel (operator)
export const GET = route({ role: "operator" }, ({ actor, params }) => getChannel({ actor, input: { id: params.id } }));

// PATCH /api/channels/:id – change some fields (admin)
export const PATCH = route({ role: "admin", body: ChannelPatch }, ({ actor, body, params }) => updateChannel({ actor, input: { id: params.id, patch: body } }));

// DELETE /api/channels/:id – delete a channel and its delivery log (admin)
export const DELETE = route({ role: "admin" }, async ({ actor, params }) => {
  await deleteChannel({ actor, input: { id: params.id } });
  return new Response(null, { status: 204 });
});

// POST, PUT, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
