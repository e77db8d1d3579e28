import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { ChannelInput, createChannel, listChannels } from "@/lib/notifications";

// GET /api/channels – every notification channel (operator)
export const GET = route({ role: "operator" }, async ({ actor }) => ({ items: await listChannels({ actor }) }));

// POST /api/channels – create a channel; its signing secret is in this answer only (admin)
export const POST = route({ role: "admin", body: ChannelInput }, async ({ actor, body }) => {
  const channel = await createChannel({ actor, input: body });
  return json(channel, { status: 201, headers: { location: `/api/channels/${channel.id}` } });
});

// PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
