"use client";
// The console's event stream in React: <EventStreamProvider> (once, in the console layout) owns the
// tab's one EventHub; views subscribe to events by name, read the connection state and the runs
// monitor's model, and learn whether the signed-in person may operate (cancel, re-run).
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { NO_RUNS, type ActiveRuns } from "@/components/runs/active-runs";
import { EventHub, type ConnectionState, type StreamEventName, type StreamEvents } from "./event-hub";

interface EventStreamValue {
  hub: EventHub;
  /** The actor's role allows cancel and re-run (the server checks again). */
  canOperate: boolean;
}

const EventStreamContext = createContext<EventStreamValue | null>(null);

/** `since`: the server's last event id when it rendered the console (see EventHubOptions.since). */
export function EventStreamProvider({ canOperate, since, children }: { canOperate: boolean; since: number | null; children: ReactNode }) {
  // Created on first render; it opens nothing until a view subscribes (in an effect, so only in the browser).
  const [hub] = useState(() => new EventHub({ since }));
  useEffect(() => () => hub.close(), [hub]);
  const value = useMemo(() => ({ hub, canOperate }), [hub, canOperate]);
  return <EventStreamContext.Provider value={value}>{children}</EventStreamContext.Provider>;
}

export function useEventStream(): EventStreamValue {
  const value = useContext(EventStreamContext);
  if (!value) throw new Error("useEventStream needs <EventStreamProvider> above it (the console layout)");
  return value;
}

/** Runs `handler` for each `name` event while mounted and `enabled`; the newest handler is used without resubscribing. */
export function useStreamEvent<N extends StreamEventName>(name: N, handler: (data: StreamEvents[N]) => void, enabled = true): void {
  const { hub } = useEventStream();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => (enabled ? hub.subscribe(name, (data) => latest.current(data)) : undefined), [hub, name, enabled]);
}

const CONNECTING: ConnectionState = { connection: "connecting", offlineSince: null };

/** Connecting, live, reconnecting (since when) or signed out; re-renders only when that changes. */
export function useConnection(): ConnectionState {
  const { hub } = useEventStream();
  return useSyncExternalStore(hub.subscribeStatus, hub.getStatus, () => CONNECTING);
}

/** The runs monitor's model; reading it keeps the stream open. */
export function useActiveRuns(): ActiveRuns {
  const { hub } = useEventStream();
  return useSyncExternalStore(hub.subscribeRuns, hub.getRuns, () => NO_RUNS);
}
