// GET /api/events as Server-Sent Events: `snapshot` first (the active executions), then live
// events with ids; a comment line every 15 s keeps proxies from closing the stream. A client that
// reconnects with Last-Event-ID gets the finishes and job changes it missed (the snapshot covers
// the rest), never an event it already had. A stream counts against its user's or token's limit
// and ends when their credentials no longer allow it (lib/events/streams.ts); a client that stops
// reading is dropped once 2 MiB wait for it, rather than buffered without bound.
import type { Actor, Role } from "@/lib/auth/roles";
import { ACTIVE_LIMIT, loadActive } from "@/lib/executions/list";
import { summarize } from "@/lib/executions/summary";
import { logger } from "@/lib/log";
import { reserveEventId, eventsSince, listen, type NumberedEvent } from "./hub";
import { registerStream } from "./streams";

export const KEEP_ALIVE_MS = 15_000;
/** Bytes queued for a client that is not reading before it is dropped; above any snapshot (1,000 runs). */
export const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
const REPLAYED = new Set(["execution.finished", "job.changed", "job.deleted"]);

const encoder = new TextEncoder();

const frame = (id: number, name: string, data: unknown) => encoder.encode(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

export interface EventStreamOptions {
  signal: AbortSignal;
  lastEventId: number | null;
  /** Who opened it, and the role they must keep for it to stay open. */
  actor: Actor;
  required: Role;
}

/** The stream; throws RATE_LIMITED (before anything is sent) when the actor has too many open. */
export function eventStream({ signal, lastEventId, actor, required }: EventStreamOptions): ReadableStream<Uint8Array> {
  let cleanup = () => undefined as void;
  const release = registerStream(actor, required, () => cleanup());
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const pending: NumberedEvent[] = [];
        let live = false;
        let closed = false;
        const send = (chunk: Uint8Array) => {
          if (closed) return;
          controller.enqueue(chunk);
          // desiredSize is what the queue may still take: below zero, the client is not reading.
          if ((controller.desiredSize ?? 0) < 0) drop();
        };
        const stopListening = listen((entry) => {
          if (entry === "close") return cleanup();
          if (live) send(frame(entry.id, entry.event.name, entry.event.data));
          else pending.push(entry);
        });
        const keepAlive = setInterval(() => send(encoder.encode(`: keep-alive ${new Date().toISOString()}\n\n`)), KEEP_ALIVE_MS);
        const stop = () => {
          if (closed) return false;
          closed = true;
          clearInterval(keepAlive);
          stopListening();
          release();
          return true;
        };
        cleanup = () => {
          if (!stop()) return;
          try {
            controller.close();
          } catch {
            // already closed by the runtime
          }
        };
        // An error discards what is queued, and the server closes the connection.
        const drop = () => {
          if (!stop()) return;
          logger.warn("Dropped an event stream whose client stopped reading", { actor: actor.name });
          controller.error(new Error("The client stopped reading the event stream"));
        };
        signal.addEventListener("abort", cleanup, { once: true });
        // A client that left before the stream started: "abort" has fired already and will not again.
        if (signal.aborted) return cleanup();

        try {
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
        } catch (error) {
          // The snapshot could not be read: the client reconnects and tries again.
          if (stop()) controller.error(error);
        }
      },
      cancel() {
        cleanup();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: MAX_QUEUED_BYTES }),
  );
}
