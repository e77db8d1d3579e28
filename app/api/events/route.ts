import { eventStream } from "@/lib/events/sse";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/events – Server-Sent Events: snapshot, then live execution and job events
export const GET = route({ role: "viewer" }, async ({ request }) => {
  const header = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  const lastEventId = header && /^\d+$/.test(header) ? Number(header) : null;
  return new Response(eventStream(request.signal, lastEventId), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
