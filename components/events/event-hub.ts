// The console tab's one connection to GET /api/events, shared by every live view (the runs
// monitor, the jobs pages' refresh, the details modal): browsers allow six HTTP/1.1 connections
// per origin, so one stream per view would stall other requests after a few tabs.
// It connects while someone listens (and a moment after, so moving between pages keeps it), keeps
// the runs monitor's model current from the snapshot and the events, and tells whether it is live.
// Plain TypeScript, no React: components/events/event-stream.tsx puts it in context.
import { EVENT_NAMES, type BusEvent } from "@/lib/events/types";
import type { ExecutionSummary } from "@/lib/events/types";
import { NO_RUNS, nextExpiry, reduceActiveRuns, type ActiveRuns, type ActiveRunsEvent, type LiveRun } from "@/components/runs/active-runs";

export type Connection = "connecting" | "live" | "reconnecting" | "signed-out";

export interface ConnectionState {
  connection: Connection;
  /** Since when the tab has not been live (null while live or before the first connection). */
  offlineSince: number | null;
}

/** Every event the stream sends, with its data. `snapshot` comes first on each (re)connect. */
export type StreamEvents = { snapshot: { items: ExecutionSummary[]; truncated: boolean } } & { [E in BusEvent as E["name"]]: E["data"] };
export type StreamEventName = keyof StreamEvents;
const STREAM_EVENTS: StreamEventName[] = ["snapshot", ...EVENT_NAMES];

/** The part of EventSource the hub uses, so tests can hand it a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(name: string, listener: (event: Event) => void): void;
  close(): void;
}
const CLOSED = 2;

export interface EventHubOptions {
  open?: (url: string) => EventSourceLike;
  /** Asked when the browser gave up on the stream (an HTTP error): false means the session has ended. */
  hasSession?: () => Promise<boolean>;
  /** After an HTTP error with the session still there (e.g. a restart), a fresh connection is tried this often. */
  retryMs?: number;
  /** The stream stays open this long after the last listener left, for the next page to use. */
  lingerMs?: number;
  now?: () => number;
  /**
   * The last event id the server had when it rendered the page: the first connection asks for
   * what happened since, so a change made between the render and the stream's start is not missed.
   */
  since?: number | null;
}

/** How each event changes the monitor's model; the table the stream's events go through. */
const RUN_CHANGES: { [N in StreamEventName]?: (data: StreamEvents[N], at: number) => ActiveRunsEvent } = {
  snapshot: ({ items, truncated }) => ({ type: "snapshot", items, truncated: Boolean(truncated) }),
  "execution.queued": (run) => ({ type: "update", run }),
  "execution.started": (run) => ({ type: "update", run }),
  "execution.cancel_requested": (run) => ({ type: "update", run }),
  "execution.progress": ({ id, percent, message }) => ({ type: "progress", id, percent, message }),
  "execution.log": ({ id, lines }) => ({ type: "log", id, lines }),
  "execution.finished": (run, at) => ({ type: "finished", run, at }),
};

type Handler = (data: never) => void;
/** A run that was on show and has just ended, and how it looked before. */
export type RunEnded = (before: LiveRun, after: LiveRun) => void;

export class EventHub {
  /** Browser time of the last data (or the connection), for "last update hh:mm:ss"; not state, so no re-render. */
  lastEventAt: number | null = null;

  private readonly handlers = new Map<StreamEventName, Set<Handler>>();
  private readonly statusListeners = new Set<() => void>();
  private readonly runListeners = new Set<() => void>();
  private readonly endedListeners = new Set<RunEnded>();
  private status: ConnectionState = { connection: "connecting", offlineSince: null };
  private runs: ActiveRuns = NO_RUNS;
  private users = 0;
  private source: EventSourceLike | undefined;
  /** Checking the session or waiting to retry after the browser gave up. */
  private waiting = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly open: (url: string) => EventSourceLike;
  private readonly hasSession: () => Promise<boolean>;
  private readonly retryMs: number;
  private readonly lingerMs: number;
  private readonly now: () => number;
  private since: number | null;

  constructor(options: EventHubOptions = {}) {
    this.open = options.open ?? ((url) => new EventSource(url));
    this.hasSession = options.hasSession ?? sessionStillThere;
    this.retryMs = options.retryMs ?? 5000;
    this.lingerMs = options.lingerMs ?? 3000;
    this.now = options.now ?? Date.now;
    this.since = options.since ?? null;
  }

  /** Calls `handler` with each `name` event's data; the stream is open while anyone subscribes. */
  subscribe<N extends StreamEventName>(name: N, handler: (data: StreamEvents[N]) => void): () => void {
    const set = this.handlers.get(name) ?? new Set<Handler>();
    this.handlers.set(name, set);
    set.add(handler);
    const release = this.retain();
    return () => {
      set.delete(handler);
      release();
    };
  }

  // The monitor's model, for useSyncExternalStore; reading it keeps the stream open.
  getRuns = (): ActiveRuns => this.runs;
  subscribeRuns = (listener: () => void): (() => void) => {
    this.runListeners.add(listener);
    const release = this.retain();
    return () => {
      this.runListeners.delete(listener);
      release();
    };
  };

  /** Changes from this page (cancel sent, refused, answered); true when the model changed. */
  dispatch = (event: ActiveRunsEvent): boolean => {
    const before = this.runs;
    const after = reduceActiveRuns(before, event);
    if (after === before) return false;
    this.runs = after;
    if (event.type === "finished") {
      const was = before.runs[event.run.id];
      const is = after.runs[event.run.id];
      if (was && is && !was.endedAt) for (const listener of this.endedListeners) listener(was, is);
    }
    this.scheduleExpiry();
    for (const listener of this.runListeners) listener();
    return true;
  };

  /** Called once for each run on show that ends, whether the stream or a cancel's answer said so first. */
  onRunEnded(listener: RunEnded): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  getStatus = (): ConnectionState => this.status;
  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  /** The provider unmounted: nothing more is sent or scheduled. */
  close(): void {
    this.disconnect();
    clearTimeout(this.lingerTimer);
  }

  private retain(): () => void {
    this.users += 1;
    clearTimeout(this.lingerTimer);
    if (!this.source && !this.waiting && this.status.connection !== "signed-out") this.connect();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users === 0) this.lingerTimer = setTimeout(() => this.disconnect(), this.lingerMs);
    };
  }

  private connect(): void {
    // Only the first connection continues from the render; later ones follow the stream (EventSource
    // sends Last-Event-ID, which wins over the query) or start over from a snapshot.
    const source = this.open(this.since === null ? "/api/events" : `/api/events?lastEventId=${this.since}`);
    this.since = null;
    this.source = source;
    source.addEventListener("open", () => {
      this.lastEventAt = this.now();
      this.setStatus({ connection: "live", offlineSince: null });
    });
    source.addEventListener("error", () => this.lost(source));
    for (const name of STREAM_EVENTS) source.addEventListener(name, (event) => this.receive(name, (event as MessageEvent<string>).data));
  }

  private receive<N extends StreamEventName>(name: N, raw: string): void {
    let data: StreamEvents[N];
    try {
      data = JSON.parse(raw) as StreamEvents[N];
    } catch {
      return;
    }
    this.lastEventAt = this.now();
    const change = RUN_CHANGES[name];
    if (change) this.dispatch(change(data, this.now()));
    for (const handler of this.handlers.get(name) ?? []) (handler as (data: StreamEvents[N]) => void)(data);
  }

  private lost(source: EventSourceLike): void {
    if (source !== this.source) return;
    this.setStatus({ connection: "reconnecting", offlineSince: this.status.offlineSince ?? this.now() });
    // EventSource retries network errors by itself (with Last-Event-ID); after an HTTP error it stops for good.
    if (source.readyState !== CLOSED) return;
    source.close();
    this.source = undefined;
    this.waiting = true;
    void this.hasSession().then((signedIn) => {
      if (!this.waiting) return; // everyone left meanwhile
      if (!signedIn) {
        this.waiting = false;
        return this.setStatus({ connection: "signed-out", offlineSince: this.status.offlineSince });
      }
      this.retryTimer = setTimeout(() => {
        this.waiting = false;
        this.retryTimer = undefined;
        if (this.users > 0) this.connect();
      }, this.retryMs);
    });
  }

  private disconnect(): void {
    this.source?.close();
    this.source = undefined;
    this.waiting = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    // Whatever happens while nobody listens is unknown: the next connection's snapshot starts over.
    this.runs = NO_RUNS;
    for (const listener of this.runListeners) listener();
    if (this.status.connection !== "signed-out") this.setStatus({ connection: "connecting", offlineSince: null });
  }

  /** One timer for the earliest outcome on show, so finished runs leave without a ticking clock. */
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const at = nextExpiry(this.runs);
    if (at === null) return;
    this.expiryTimer = setTimeout(() => {
      if (!this.dispatch({ type: "expire", now: this.now() })) this.scheduleExpiry();
    }, Math.max(0, at - this.now()));
  }

  private setStatus(next: ConnectionState): void {
    if (next.connection === this.status.connection && next.offlineSince === this.status.offlineSince) return;
    this.status = next;
    for (const listener of this.statusListeners) listener();
  }
}

/**
 * Whether the browser's session still opens the API. An authenticated read, not next-auth's own
 * session endpoint: that one still answers for a disabled account, whose requests the API refuses.
 * Unreachable or any other answer counts as yes (keep trying).
 */
async function sessionStillThere(): Promise<boolean> {
  try {
    const response = await fetch("/api/definitions", { cache: "no-store" });
    return response.status !== 401;
  } catch {
    return true;
  }
}
