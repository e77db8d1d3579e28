// The console's one event stream (components/events/event-hub): one connection however many views
// listen, the snapshot on every (re)connect into the runs monitor's model, events routed by name,
// each end reported once, and no reconnecting forever once the session has ended.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EventHub, type EventSourceLike } from "@/components/events/event-hub";
import type { ExecutionSummary } from "@/lib/events/types";

class FakeSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();
  addEventListener(name: string, listener: (event: Event) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(name: string, data?: unknown) {
    if (name === "open") this.readyState = 1;
    const event = data === undefined ? new Event(name) : new MessageEvent(name, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }
  /** An HTTP error answer: the browser gives up for good. */
  fail() {
    this.readyState = 2;
    this.emit("error");
  }
}

const ID_A = "6f1c1f5e-4c1e-4b7a-9d7e-00000000000a";
const ID_B = "6f1c1f5e-4c1e-4b7a-9d7e-00000000000b";
const summary = (id: string, changes: Partial<ExecutionSummary> = {}): ExecutionSummary => ({
  id,
  jobId: null,
  jobName: `Job ${id.slice(-1)}`,
  type: "demo.sleep",
  status: "RUNNING",
  cancelRequested: false,
  trigger: "manual",
  triggeredBy: "admin@example.test",
  attempt: 1,
  scheduledFor: "2026-11-22T10:00:00.000Z",
  queuedAt: "2026-11-22T10:00:00.000Z",
  startedAt: "2026-11-22T10:00:01.000Z",
  finishedAt: null,
  durationMs: null,
  progress: null,
  error: null,
  workerId: null,
  ...changes,
});

let sources: FakeSource[];
let signedIn: boolean;
const hub = () =>
  new EventHub({
    open: () => {
      const source = new FakeSource();
      sources.push(source);
      return source;
    },
    hasSession: async () => signedIn,
    retryMs: 5000,
    lingerMs: 3000,
  });

beforeEach(() => {
  vi.useFakeTimers();
  sources = [];
  signedIn = true;
});
afterEach(() => {
  vi.useRealTimers();
});

describe("event hub", () => {
  it("asks its first connection for what happened since the page's render, and no later one", () => {
    const urls: string[] = [];
    const events = new EventHub({
      since: 1764651600000042,
      open: (url) => {
        urls.push(url);
        const source = new FakeSource();
        sources.push(source);
        return source;
      },
      hasSession: async () => true,
      lingerMs: 3000,
    });
    const stop = events.subscribe("job.changed", () => {});
    stop();
    vi.advanceTimersByTime(3000);
    events.subscribe("job.changed", () => {});
    expect(urls).toEqual(["/api/events?lastEventId=1764651600000042", "/api/events"]);
  });

  it("opens one connection for every listener, and closes it a moment after the last one left", () => {
    const events = hub();
    const stopA = events.subscribe("job.changed", () => {});
    const stopB = events.subscribe("execution.progress", () => {});
    const stopRuns = events.subscribeRuns(() => {});
    expect(sources).toHaveLength(1);
    stopA();
    stopB();
    stopRuns();
    vi.advanceTimersByTime(2999);
    // A page that takes over within the linger keeps the same connection.
    const stopC = events.subscribe("job.deleted", () => {});
    vi.advanceTimersByTime(5000);
    expect(sources).toHaveLength(1);
    expect(sources[0].closed).toBe(false);
    stopC();
    vi.advanceTimersByTime(3000);
    expect(sources[0].closed).toBe(true);
  });

  it("feeds the snapshot and the events to the monitor's model without duplicates, and honours truncated", () => {
    const events = hub();
    events.subscribeRuns(() => {});
    const source = sources[0];
    source.emit("open");
    expect(events.getStatus().connection).toBe("live");
    source.emit("snapshot", { items: [summary(ID_A)], truncated: true });
    source.emit("execution.started", summary(ID_A));
    source.emit("execution.queued", summary(ID_B, { status: "QUEUED", startedAt: null }));
    source.emit("execution.progress", { id: ID_A, jobId: null, percent: 50, message: "half" });
    const runs = events.getRuns();
    expect(Object.keys(runs.runs).sort()).toEqual([ID_A, ID_B]);
    expect(runs).toMatchObject({ loaded: true, truncated: true });
    expect(runs.runs[ID_A].progress).toEqual({ percent: 50, message: "half" });
  });

  it("routes execution.log to its subscribers and puts the newest line on the run's card", () => {
    const events = hub();
    const logs: unknown[] = [];
    events.subscribe("execution.log", (data) => logs.push(data));
    const source = sources[0];
    source.emit("snapshot", { items: [summary(ID_A)], truncated: false });
    const batch = { id: ID_A, jobId: null, lines: [{ seq: 1, at: "2026-11-22T10:00:02.000Z", level: "stderr", message: "disk full" }] };
    source.emit("execution.log", batch);
    expect(logs).toEqual([batch]);
    expect(events.getRuns().runs[ID_A].lastLog).toMatchObject({ seq: 1, level: "stderr", message: "disk full" });
  });

  it("gets a fresh snapshot on every reconnect, and routes events to subscribers by name", () => {
    const events = hub();
    const snapshots: number[] = [];
    const progress: unknown[] = [];
    events.subscribe("snapshot", ({ items }) => snapshots.push(items.length));
    events.subscribe("execution.progress", (data) => progress.push(data));
    const source = sources[0];
    source.emit("open");
    source.emit("snapshot", { items: [summary(ID_A)], truncated: false });
    source.emit("error"); // a network error: the browser reconnects by itself
    expect(events.getStatus()).toMatchObject({ connection: "reconnecting", offlineSince: expect.any(Number) });
    source.emit("open");
    source.emit("snapshot", { items: [], truncated: false });
    source.emit("execution.progress", { id: ID_A, jobId: null, percent: 10, message: null });
    expect(snapshots).toEqual([1, 0]);
    expect(progress).toEqual([{ id: ID_A, jobId: null, percent: 10, message: null }]);
    expect(events.getRuns().runs).toEqual({});
    expect(sources).toHaveLength(1);
  });

  it("reports a run's end once, whether the stream or the cancel's answer says it first", () => {
    const events = hub();
    events.subscribeRuns(() => {});
    const ended = vi.fn();
    events.onRunEnded(ended);
    sources[0].emit("snapshot", { items: [summary(ID_A, { status: "QUEUED", startedAt: null })], truncated: false });
    events.dispatch({ type: "cancel-sent", id: ID_A });
    const cancelled = summary(ID_A, { status: "CANCELLED", startedAt: null, finishedAt: "2026-11-22T10:00:02.000Z" });
    expect(events.dispatch({ type: "finished", run: cancelled, at: Date.now() })).toBe(true);
    sources[0].emit("execution.finished", cancelled);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(ended.mock.calls[0][0]).toMatchObject({ cancelledHere: true, stopping: true });
    expect(ended.mock.calls[0][1]).toMatchObject({ status: "CANCELLED" });
    // The outcome leaves the list after a while on its own timer.
    vi.advanceTimersByTime(6000);
    expect(events.getRuns().runs).toEqual({});
  });

  it("after an HTTP error tries again while the session is there, and stops with signed-out once it is gone", async () => {
    const events = hub();
    events.subscribe("snapshot", () => {});
    sources[0].fail();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sources).toHaveLength(2);
    expect(events.getStatus().connection).toBe("reconnecting");

    signedIn = false;
    sources[1].fail();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sources).toHaveLength(2);
    expect(events.getStatus().connection).toBe("signed-out");
  });
});
