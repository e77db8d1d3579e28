"use client";
// The runs page's one connection to GET /api/events. The active executions come from it alone:
// the snapshot on each (re)connect, then the events. It also tells the page whether it is live,
// and re-renders the server parts (history, figures) shortly after runs are queued or finish.
import { createContext, startTransition, useContext, useEffect, useMemo, useReducer, useRef, useState, type Dispatch, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useAnnounce } from "@/components/ui/live-region";
import type { ExecutionSummary } from "@/lib/events/types";
import { orderedRuns, reduceActiveRuns, type ActiveRunsEvent, type LiveRun } from "./active-runs";
import { finishedSentence } from "./run-words";

export type Connection = "connecting" | "live" | "reconnecting";

interface RunsStreamValue {
  runs: LiveRun[];
  /** False until the first snapshot arrived: the list is loading, not empty. */
  loaded: boolean;
  connection: Connection;
  /** Since when the page has not been live (null while live). */
  offlineSince: number | null;
  /** When the last data (or the connection) arrived, for "last update hh:mm:ss". */
  lastUpdateAt: number | null;
  dispatch: Dispatch<ActiveRunsEvent>;
}

const RunsStreamContext = createContext<RunsStreamValue | null>(null);

const REFRESH_GAP_MS = 1500;
/** After the browser gave up (an HTTP error answer), a fresh connection is tried this often. */
const RETRY_CLOSED_MS = 5000;
const EXPIRE_EVERY_MS = 1000;

export function RunsStream({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reduceActiveRuns, {});
  const [loaded, setLoaded] = useState(false);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [offlineSince, setOfflineSince] = useState<number | null>(null);
  const [lastUpdateAt, setLastUpdateAt] = useState<number | null>(null);
  const refreshSoon = useThrottledRefresh();
  const announce = useAnnounce();
  const known = useRef(state);
  useEffect(() => {
    known.current = state;
  }, [state]);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let reconnected = false;
    const offline = () => {
      setConnection("reconnecting");
      setOfflineSince((since) => since ?? Date.now());
    };
    const connect = () => {
      source = new EventSource("/api/events");
      const on = <T,>(name: string, handle: (data: T) => void) =>
        source!.addEventListener(name, (event) => {
          setLastUpdateAt(Date.now());
          handle(JSON.parse((event as MessageEvent<string>).data) as T);
        });
      source.addEventListener("open", () => {
        setConnection("live");
        setOfflineSince(null);
        setLastUpdateAt(Date.now());
      });
      source.addEventListener("error", () => {
        offline();
        // EventSource retries network errors by itself; after an HTTP error it stops for good.
        if (source?.readyState === EventSource.CLOSED) retry = setTimeout(connect, RETRY_CLOSED_MS);
      });
      on<{ items: ExecutionSummary[] }>("snapshot", ({ items }) => {
        dispatch({ type: "snapshot", items });
        setLoaded(true);
        // After a gap, runs may have finished unseen: the history and figures catch up too.
        if (reconnected) refreshSoon();
        reconnected = true;
      });
      on<ExecutionSummary>("execution.queued", (run) => {
        dispatch({ type: "update", run });
        refreshSoon();
      });
      on<ExecutionSummary>("execution.started", (run) => dispatch({ type: "update", run }));
      on<ExecutionSummary>("execution.cancel_requested", (run) => dispatch({ type: "update", run }));
      on<{ id: string; percent: number; message: string | null }>("execution.progress", (data) => dispatch({ type: "progress", ...data }));
      on<ExecutionSummary>("execution.finished", (run) => {
        const shown = known.current[run.id];
        if (shown && !shown.endedAt) announce(finishedSentence(run));
        if (shown?.stopping || shown?.cancelRequested) toastStopOutcome(run);
        dispatch({ type: "finished", run, at: Date.now() });
        refreshSoon();
      });
    };
    connect();
    const expiry = setInterval(() => dispatch({ type: "expire", now: Date.now() }), EXPIRE_EVERY_MS);
    return () => {
      source?.close();
      clearTimeout(retry);
      clearInterval(expiry);
    };
  }, [announce, refreshSoon]);

  const runs = useMemo(() => orderedRuns(state), [state]);
  const value = useMemo(() => ({ runs, loaded, connection, offlineSince, lastUpdateAt, dispatch }), [runs, loaded, connection, offlineSince, lastUpdateAt]);
  return <RunsStreamContext.Provider value={value}>{children}</RunsStreamContext.Provider>;
}

export function useRunsStream(): RunsStreamValue {
  const value = useContext(RunsStreamContext);
  if (!value) throw new Error("useRunsStream needs <RunsStream> above it");
  return value;
}

/** The end of a run someone asked to stop; one toast per run even if the cancel's answer says it too. */
export function toastStopOutcome(run: ExecutionSummary): void {
  const sentence = finishedSentence(run);
  if (run.status === "CANCELLED") toast.success(sentence, { id: `stop-${run.id}` });
  else toast.info(`${sentence} before it could be stopped`, { id: `stop-${run.id}` });
}

/** router.refresh() at most every REFRESH_GAP_MS; the URL (filters, page) stays as it is. */
function useThrottledRefresh(): () => void {
  const router = useRouter();
  const [refresh] = useState(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    return {
      soon(run: () => void) {
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          last = Date.now();
          run();
        }, Math.max(0, last + REFRESH_GAP_MS - Date.now()));
      },
    };
  });
  const routerRef = useRef(router);
  useEffect(() => {
    routerRef.current = router;
  }, [router]);
  return useMemo(() => () => refresh.soon(() => startTransition(() => routerRef.current.refresh())), [refresh]);
}
