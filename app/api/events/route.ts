import { eventStream } from "@/lib/events/sse";
import { route, otherMethods } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/events – Server-Sent Events: snapshot, then live execution and job events
// (429 RATE_LIMITED past 10 open streams per user or token; ends when the credentials stop allowing it)
export const GET = route({ role: "viewer" }, async ({ actor, request }) => {
  const header = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  const lastEventId = header && /^\d+$/.test(header) ? Number(header) : null;
  return new Response(eventStream({ signal: request.signal, lastEventId, actor: actor!, required: "viewer" }), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
