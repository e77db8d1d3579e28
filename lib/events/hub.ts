// The process's view of the event stream: one bus subscription, monotonic ids, and a ring of
// recent events so a reconnecting client can be sent what it missed.
import { subscribe } from "./bus";
import type { BusEvent } from "./types";

const RING_SIZE = 5000;

export interface NumberedEvent {
  id: number;
  event: BusEvent;
}

type Listener = (event: NumberedEvent | "close") => void;

interface Hub {
  lastId: number;
  ring: NumberedEvent[];
  /**
   * Every event with a later id is still in the ring. Not simply the ring's first id: snapshot ids
   * are reserved without an event, so the ring has gaps that do not mean events were dropped.
   */
  replayableAfter: number;
  listeners: Set<Listener>;
  unsubscribe: () => void;
}

const globalForHub = globalThis as unknown as { tickworkHub?: Hub };

function hub(): Hub {
  if (!globalForHub.tickworkHub) {
    // Ids start from the clock, so they keep increasing across restarts of this server.
    const startId = Date.now() * 1000;
    const state: Hub = {
      lastId: startId,
      ring: [],
      replayableAfter: startId,
      listeners: new Set(),
      unsubscribe: () => undefined,
    };
    state.unsubscribe = subscribe((event) => {
      const numbered = { id: ++state.lastId, event };
      state.ring.push(numbered);
      if (state.ring.length > RING_SIZE) state.replayableAfter = state.ring.splice(0, state.ring.length - RING_SIZE).at(-1)!.id;
      for (const listener of state.listeners) listener(numbered);
    });
    globalForHub.tickworkHub = state;
  }
  return globalForHub.tickworkHub;
}

/**
 * The id of the newest event this server has seen. A page rendered now hands it to its event
 * stream, which then replays what came later: the changes its data may not show.
 */
export function latestEventId(): number {
  return hub().lastId;
}

/** A fresh id for an event that is not on the bus (a connection's snapshot). */
export function reserveEventId(): number {
  return ++hub().lastId;
}

export function listen(listener: Listener): () => void {
  const state = hub();
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** Events after `afterId` still in the ring, or null when the ring no longer reaches back that far. */
export function eventsSince(afterId: number, upToId: number): NumberedEvent[] | null {
  const { ring, replayableAfter } = hub();
  if (afterId < replayableAfter) return null;
  return ring.filter((entry) => entry.id > afterId && entry.id <= upToId);
}

/** Ends every open stream (on shutdown, so the HTTP server can close). */
export function closeAllStreams(): void {
  for (const listener of hub().listeners) listener("close");
}

export function subscriberCount(): number {
  return hub().listeners.size;
}
