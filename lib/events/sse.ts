// GET /api/events as Server-Sent Events: `snapshot` first (the active executions), then live
// events with ids; a comment line every 15 s keeps proxies from closing the stream. A client that
// reconnects with Last-Event-ID gets the finishes and job changes it missed (the snapshot covers
// the rest), never an event it already had.
import { ACTIVE_LIMIT, loadActive } from "@/lib/executions/list";
import { summarize } from "@/lib/executions/summary";
import { reserveEventId, eventsSince, listen, type NumberedEvent } from "./hub";

export const KEEP_ALIVE_MS = 15_000;
const REPLAYED = new Set(["execution.finished", "job.changed", "job.deleted"]);

const encoder = new TextEncoder();

const frame = (id: number, name: string, data: unknown) => encoder.encode(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

export function eventStream(signal: AbortSignal, lastEventId: number | null): ReadableStream<Uint8Array> {
  let cleanup = () => undefined as void;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const pending: NumberedEvent[] = [];
      let live = false;
      let closed = false;
      const send = (chunk: Uint8Array) => {
        if (!closed) controller.enqueue(chunk);
      };
      const stopListening = listen((entry) => {
        if (entry === "close") return cleanup();
        if (live) send(frame(entry.id, entry.event.name, entry.event.data));
        else pending.push(entry);
      });
      const keepAlive = setInterval(() => send(encoder.encode(`: keep-alive ${new Date().toISOString()}\n\n`)), KEEP_ALIVE_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        stopListening();
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      signal.addEventListener("abort", cleanup, { once: true });
      // A client that left before the stream started: "abort" has fired already and will not again.
      if (signal.aborted) return cleanup();

      send(encoder.encode("retry: 2000\n\n"));
      const snapshotId = reserveEventId();
      const active = await loadActive(ACTIVE_LIMIT + 1);
      send(frame(snapshotId, "snapshot", { items: active.slice(0, ACTIVE_LIMIT).map(summarize), truncated: active.length > ACTIVE_LIMIT }));
      if (lastEventId !== null) {
        for (const entry of eventsSince(lastEventId, snapshotId) ?? []) {
          if (REPLAYED.has(entry.event.name)) send(frame(entry.id, entry.event.name, entry.event.data));
        }
      }
      for (const entry of pending) if (entry.id > snapshotId) send(frame(entry.id, entry.event.name, entry.event.data));
      live = true;
    },
    cancel() {
      cleanup();
    },
  });
}
