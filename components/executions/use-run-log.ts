"use client";
// A run's log for the Logs tab: read page by page with GET /api/executions/:id/logs (a fetch, like
// useExecution), and, while the run is active, followed through the tab's one event stream. Reads
// are serialised: one at a time, and one more after it when events showed a hole (missed while
// reconnecting), a shortened line, or the run ended (its last lines may have come after the last event).
import { useCallback, useEffect, useRef, useState } from "react";
import type { ActionError } from "@/lib/actions/action";
import type { LogLine } from "@/lib/events/types";
import { useStreamEvent } from "@/components/events/event-stream";
import { EMPTY_LOG, readFrom, reduceRunLog, type RunLog, type RunLogEvent } from "./run-log";

const PAGE_LINES = 1000;

interface LogPage {
  items: LogLine[];
  next: number | null;
  truncated: boolean;
}

export function useRunLog(id: string, active: boolean): { log: RunLog; error: ActionError | null; retry: () => void } {
  const [log, setLog] = useState<RunLog>(EMPTY_LOG);
  const [error, setError] = useState<ActionError | null>(null);
  // The model lives here, outside React's render cycle, so the read loop always sees what events added.
  const model = useRef<RunLog>(EMPTY_LOG);
  const apply = useCallback((event: RunLogEvent) => {
    model.current = reduceRunLog(model.current, event);
    setLog(model.current);
    return model.current;
  }, []);
  const reading = useRef<{ controller: AbortController; again: boolean } | null>(null);

  const read = useCallback(async () => {
    if (reading.current) {
      reading.current.again = true;
      return;
    }
    const current = { controller: new AbortController(), again: false };
    reading.current = current;
    try {
      let after = readFrom(model.current) ?? model.current.knownThrough;
      for (;;) {
        const page = await fetchPage(id, after, current.controller.signal);
        const state = apply({ type: "page", after, ...page });
        setError(null);
        if (page.next !== null) {
          after = page.next;
          continue;
        }
        // At the end of what is written: read again only for a hole or shortened lines still held, or
        // when asked meanwhile (a reconnect, the run's end); an empty last page with nothing owed ends it.
        const owed = readFrom(state);
        const asked = current.again;
        current.again = false;
        if (owed === null && !asked) break;
        const from = owed ?? state.knownThrough;
        if (from === after && page.items.length === 0 && !asked) break;
        after = from;
      }
    } catch (thrown) {
      if (current.controller.signal.aborted) return;
      setError(thrown instanceof LogReadError ? thrown.error : { code: "INTERNAL", message: `The server could not be reached (${thrown instanceof Error ? thrown.message : String(thrown)})`, retryable: true });
    } finally {
      if (reading.current === current) reading.current = null;
    }
  }, [id, apply]);

  useEffect(() => {
    apply({ type: "reset" });
    void read();
    return () => {
      reading.current?.controller.abort();
      reading.current = null;
    };
  }, [read, apply]);

  // A run that has just ended: its last lines may have been written after the last event arrived.
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) void read();
    wasActive.current = active;
  }, [active, read]);

  useStreamEvent(
    "execution.log",
    (data) => {
      if (data.id !== id) return;
      const state = apply({ type: "event", lines: data.lines });
      if (state.loaded && readFrom(state) !== null) void read();
    },
    active,
  );
  // The snapshot comes first on every reconnect: what was logged meanwhile is read from the last known line.
  useStreamEvent("snapshot", () => void read(), active);

  const retry = useCallback(() => {
    setError(null);
    void read();
  }, [read]);
  return { log, error, retry };
}

class LogReadError extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
  }
}

async function fetchPage(id: string, after: number, signal: AbortSignal): Promise<LogPage> {
  const response = await fetch(`/api/executions/${encodeURIComponent(id)}/logs?after=${after}&limit=${PAGE_LINES}`, { signal, cache: "no-store", headers: { accept: "application/json" } });
  if (response.ok) return (await response.json()) as LogPage;
  const body = (await response.json().catch(() => null)) as { error?: ActionError } | null;
  throw new LogReadError(body?.error ?? { code: "INTERNAL", message: `The server answered ${response.status}`, retryable: true });
}
