// The runs page's pure parts: the live monitor's model (snapshot and events merged by id, never
// backwards, finished runs shown briefly), the history's URL params and its links.
import { describe, expect, it } from "vitest";
import {
  activeCountText,
  FINISHED_VISIBLE_MS,
  isStopping,
  nextExpiry,
  NO_RUNS,
  orderedRuns,
  reduceActiveRuns,
  shownRuns,
  type ActiveRuns,
  type ActiveRunsEvent,
} from "@/components/runs/active-runs";
import { ACTIVE_LIMIT } from "@/lib/executions/status";
import { historyPageHref, runDetailsHref } from "@/components/runs/run-href";
import { parseRunsQuery } from "@/components/runs/runs-query";
import type { ExecutionSummary } from "@/lib/events/types";

const ID_A = "6f1c1f5e-4c1e-4b7a-9d7e-00000000000a";
const ID_B = "6f1c1f5e-4c1e-4b7a-9d7e-00000000000b";

const run = (id: string, changes: Partial<ExecutionSummary> = {}): ExecutionSummary => ({
  id,
  jobId: null,
  jobName: `Job ${id.slice(-1)}`,
  type: "demo.sleep",
  status: "QUEUED",
  cancelRequested: false,
  trigger: "manual",
  triggeredBy: "admin@example.test",
  attempt: 1,
  scheduledFor: "2026-11-22T10:00:00.000Z",
  queuedAt: "2026-11-22T10:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  progress: null,
  error: null,
  workerId: null,
  ...changes,
});

const started = (id: string, changes: Partial<ExecutionSummary> = {}) => run(id, { status: "RUNNING", startedAt: "2026-11-22T10:00:01.000Z", ...changes });
const apply = (...events: ActiveRunsEvent[]) => events.reduce<ActiveRuns>(reduceActiveRuns, NO_RUNS);
const manyIds = (count: number) => Array.from({ length: count }, (_, index) => `6f1c1f5e-4c1e-4b7a-9d7e-${String(index).padStart(12, "0")}`);

describe("active runs model", () => {
  it("keeps one entry per id when the snapshot and the events after it describe the same run", () => {
    const state = apply({ type: "snapshot", items: [started(ID_A)], truncated: false }, { type: "update", run: run(ID_A) }, { type: "update", run: started(ID_A) });
    expect(Object.keys(state.runs)).toEqual([ID_A]);
    expect(state.runs[ID_A].status).toBe("RUNNING");
    expect(state.loaded).toBe(true);
  });

  it("never moves a run backwards: a late queued event after started is ignored", () => {
    const state = apply({ type: "update", run: started(ID_A) }, { type: "update", run: run(ID_A) });
    expect(state.runs[ID_A].status).toBe("RUNNING");
  });

  it("applies progress and keeps it when a later event carries none", () => {
    const state = apply(
      { type: "update", run: started(ID_A) },
      { type: "progress", id: ID_A, percent: 40, message: "Step 2/5" },
      { type: "update", run: started(ID_A, { cancelRequested: true }) },
    );
    expect(state.runs[ID_A].progress).toEqual({ percent: 40, message: "Step 2/5" });
    expect(state.runs[ID_A].cancelRequested).toBe(true);
  });

  it("keeps the newest log line of a run, whatever order the batches arrive in, and through a reconnect's snapshot", () => {
    const line = (seq: number, message: string) => ({ seq, at: "2026-11-22T10:00:02.000Z", level: "stdout" as const, message });
    const state = apply(
      { type: "update", run: started(ID_A) },
      { type: "log", id: ID_A, lines: [line(1, "one"), line(3, "three"), line(2, "two")] },
      { type: "log", id: ID_A, lines: [line(2, "two again")] },
    );
    expect(state.runs[ID_A].lastLog).toMatchObject({ seq: 3, message: "three" });
    const unchanged = reduceActiveRuns(state, { type: "log", id: ID_A, lines: [line(1, "old")] });
    expect(unchanged).toBe(state);
    const reconnected = reduceActiveRuns(state, { type: "snapshot", items: [started(ID_A)], truncated: false });
    expect(reconnected.runs[ID_A].lastLog?.message).toBe("three");
    expect(reduceActiveRuns(NO_RUNS, { type: "log", id: ID_B, lines: [line(1, "unseen")] })).toBe(NO_RUNS);
  });

  it("ignores progress and finishes of runs it never saw active", () => {
    const state = apply({ type: "progress", id: ID_A, percent: 10, message: null }, { type: "finished", run: started(ID_A, { status: "SUCCEEDED" }), at: 1 });
    expect(state).toBe(NO_RUNS);
  });

  it("shows a finished run's outcome for a while, then drops it", () => {
    const finished = apply({ type: "update", run: started(ID_A) }, { type: "finished", run: started(ID_A, { status: "SUCCEEDED", durationMs: 200 }), at: 1000 });
    expect(finished.runs[ID_A]).toMatchObject({ status: "SUCCEEDED", endedAt: 1000 });
    expect(nextExpiry(finished)).toBe(1000 + FINISHED_VISIBLE_MS);
    expect(reduceActiveRuns(finished, { type: "expire", now: 1000 + FINISHED_VISIBLE_MS - 1 })).toBe(finished);
    expect(reduceActiveRuns(finished, { type: "expire", now: 1000 + FINISHED_VISIBLE_MS }).runs).toEqual({});
  });

  it("does not bring a finished run back with a stale event or a second finish (the same state, so nothing is announced twice)", () => {
    const finished = apply({ type: "update", run: started(ID_A) }, { type: "finished", run: started(ID_A, { status: "CANCELLED" }), at: 5 });
    for (const event of [
      { type: "update", run: started(ID_A) },
      { type: "progress", id: ID_A, percent: 99, message: null },
      { type: "finished", run: started(ID_A, { status: "SUCCEEDED" }), at: 9 },
    ] as ActiveRunsEvent[]) {
      expect(reduceActiveRuns(finished, event)).toBe(finished);
    }
  });

  it("replaces the active set with a reconnect's snapshot, keeping outcomes on show", () => {
    const before = apply(
      { type: "update", run: started(ID_A) },
      { type: "update", run: run(ID_B) },
      { type: "finished", run: started(ID_A, { status: "FAILED" }), at: 1 },
    );
    const after = reduceActiveRuns(before, { type: "snapshot", items: [], truncated: false });
    expect(Object.keys(after.runs)).toEqual([ID_A]);
    expect(after.runs[ID_A].status).toBe("FAILED");
  });

  it("honours the snapshot's truncated flag in its counts", () => {
    const state = apply({ type: "snapshot", items: [started(ID_A), run(ID_B)], truncated: true });
    expect(state.truncated).toBe(true);
    expect(activeCountText(state)).toBe("2+ running or queued");
    expect(activeCountText(reduceActiveRuns(state, { type: "snapshot", items: [started(ID_A), run(ID_B)], truncated: false }))).toBe("1 running, 1 queued");
  });

  it("holds at most ACTIVE_LIMIT active runs: more queued runs mark it truncated instead of growing the list", () => {
    const ids = manyIds(ACTIVE_LIMIT + 5);
    const full = apply({ type: "snapshot", items: ids.slice(0, ACTIVE_LIMIT).map((id) => run(id)), truncated: false });
    const after = ids.slice(ACTIVE_LIMIT).reduce((state, id) => reduceActiveRuns(state, { type: "update", run: run(id) }), full);
    expect(Object.keys(after.runs)).toHaveLength(ACTIVE_LIMIT);
    expect(after.truncated).toBe(true);
    expect(activeCountText(after)).toBe(`${ACTIVE_LIMIT.toLocaleString("en-US")}+ running or queued`);
  });

  it("shows Stopping from the moment the cancel is sent, and reverts when it is refused", () => {
    const sent = apply({ type: "update", run: started(ID_A) }, { type: "cancel-sent", id: ID_A });
    expect(isStopping(sent.runs[ID_A])).toBe(true);
    expect(sent.runs[ID_A].cancelledHere).toBe(true);
    const refused = reduceActiveRuns(sent, { type: "cancel-failed", id: ID_A }).runs[ID_A];
    expect([isStopping(refused), refused.cancelledHere]).toEqual([false, false]);
    const ended = reduceActiveRuns(sent, { type: "finished", run: started(ID_A, { status: "CANCELLED", cancelRequested: true }), at: 2 });
    expect(isStopping(ended.runs[ID_A])).toBe(false);
    expect(ended.runs[ID_A].cancelledHere).toBe(true);
  });

  it("lists started runs first, oldest start first, then queued runs by due time", () => {
    const state = apply(
      { type: "update", run: run(ID_A, { scheduledFor: "2026-11-22T09:00:00.000Z" }) },
      { type: "update", run: started(ID_B) },
    );
    expect(orderedRuns(state).map((entry) => entry.id)).toEqual([ID_B, ID_A]);
  });

  it("gives a new run a card when outcomes on show fill the cards: the oldest outcome leaves first", () => {
    const ended = manyIds(5);
    let state = apply(
      ...ended.flatMap((id, index): ActiveRunsEvent[] => [
        { type: "update", run: started(id, { startedAt: `2026-11-22T10:00:0${index}.000Z` }) },
        { type: "finished", run: started(id, { status: "SUCCEEDED", startedAt: `2026-11-22T10:00:0${index}.000Z` }), at: 1000 + index },
      ]),
    );
    expect(shownRuns(state, 5)).toEqual({ shown: orderedRuns(state), more: 0 });
    state = reduceActiveRuns(state, { type: "update", run: run(ID_A) });
    const { shown, more } = shownRuns(state, 5);
    // In the list's own order, the new run after the outcomes; the one that ended first made room.
    expect(shown.map((entry) => entry.id)).toEqual([...ended.slice(1), ID_A]);
    expect(more).toBe(0);
  });

  it("counts as more only the active runs that get no card", () => {
    const state = apply(...manyIds(7).map((id): ActiveRunsEvent => ({ type: "update", run: started(id) })));
    const { shown, more } = shownRuns(state, 5);
    expect(shown).toEqual(orderedRuns(state).slice(0, 5));
    expect(more).toBe(2);
  });
});

describe("runs history URL", () => {
  it("reads job, status, trigger and page with the API's schema and reports bad values", () => {
    expect(parseRunsQuery({ job: ID_A, status: "FAILED", trigger: "retry", page: "3" })).toEqual({
      query: { jobId: ID_A, status: "FAILED", trigger: "retry", page: 3, pageSize: 50 },
      ignored: [],
    });
    const { query, ignored } = parseRunsQuery({ job: "nope", status: "DONE", page: "0", trigger: "" });
    expect(query).toEqual({ jobId: undefined, status: undefined, trigger: undefined, page: 1, pageSize: 50 });
    expect(ignored).toEqual(["job=nope", "status=DONE", "page=0"]);
  });

  it("links a run's details and other pages while keeping the other params", () => {
    const current = new URLSearchParams({ status: "FAILED", page: "2" });
    expect(runDetailsHref(current, ID_A)).toBe(`/runs?status=FAILED&page=2&execution=${ID_A}`);
    expect(historyPageHref(new URLSearchParams({ status: "FAILED", execution: ID_A }), 1)).toBe("/runs?status=FAILED");
    expect(historyPageHref(current, 3)).toBe("/runs?status=FAILED&page=3");
  });
});
