// The runs page's pure parts: the live monitor's model (snapshot and events merged by id, never
// backwards, finished runs shown briefly), the history's URL params and its links.
import { describe, expect, it } from "vitest";
import { FINISHED_VISIBLE_MS, isStopping, orderedRuns, reduceActiveRuns, type ActiveRuns, type ActiveRunsEvent } from "@/components/runs/active-runs";
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
const apply = (...events: ActiveRunsEvent[]) => events.reduce<ActiveRuns>(reduceActiveRuns, {});

describe("active runs model", () => {
  it("keeps one entry per id when the snapshot and the events after it describe the same run", () => {
    const state = apply({ type: "snapshot", items: [started(ID_A)] }, { type: "update", run: run(ID_A) }, { type: "update", run: started(ID_A) });
    expect(Object.keys(state)).toEqual([ID_A]);
    expect(state[ID_A].status).toBe("RUNNING");
  });

  it("never moves a run backwards: a late queued event after started is ignored", () => {
    const state = apply({ type: "update", run: started(ID_A) }, { type: "update", run: run(ID_A) });
    expect(state[ID_A].status).toBe("RUNNING");
  });

  it("applies progress and keeps it when a later event carries none", () => {
    const state = apply(
      { type: "update", run: started(ID_A) },
      { type: "progress", id: ID_A, percent: 40, message: "Step 2/5" },
      { type: "update", run: started(ID_A, { cancelRequested: true }) },
    );
    expect(state[ID_A].progress).toEqual({ percent: 40, message: "Step 2/5" });
    expect(state[ID_A].cancelRequested).toBe(true);
  });

  it("ignores progress and finishes of runs it never saw active", () => {
    const state = apply({ type: "progress", id: ID_A, percent: 10, message: null }, { type: "finished", run: started(ID_A, { status: "SUCCEEDED" }), at: 1 });
    expect(state).toEqual({});
  });

  it("shows a finished run's outcome for a while, then drops it", () => {
    const finished = apply({ type: "update", run: started(ID_A) }, { type: "finished", run: started(ID_A, { status: "SUCCEEDED", durationMs: 200 }), at: 1000 });
    expect(finished[ID_A]).toMatchObject({ status: "SUCCEEDED", endedAt: 1000 });
    expect(reduceActiveRuns(finished, { type: "expire", now: 1000 + FINISHED_VISIBLE_MS - 1 })).toBe(finished);
    expect(reduceActiveRuns(finished, { type: "expire", now: 1000 + FINISHED_VISIBLE_MS })).toEqual({});
  });

  it("does not bring a finished run back with a stale event or a second finish", () => {
    const finished = apply({ type: "update", run: started(ID_A) }, { type: "finished", run: started(ID_A, { status: "CANCELLED" }), at: 5 });
    const after = [
      { type: "update", run: started(ID_A) },
      { type: "progress", id: ID_A, percent: 99, message: null },
      { type: "finished", run: started(ID_A, { status: "SUCCEEDED" }), at: 9 },
    ].reduce<ActiveRuns>((state, event) => reduceActiveRuns(state, event as ActiveRunsEvent), finished);
    expect(after[ID_A]).toMatchObject({ status: "CANCELLED", endedAt: 5 });
  });

  it("replaces the active set with a reconnect's snapshot, keeping outcomes on show", () => {
    const before = apply(
      { type: "update", run: started(ID_A) },
      { type: "update", run: run(ID_B) },
      { type: "finished", run: started(ID_A, { status: "FAILED" }), at: 1 },
    );
    const after = reduceActiveRuns(before, { type: "snapshot", items: [] });
    expect(Object.keys(after)).toEqual([ID_A]);
    expect(after[ID_A].status).toBe("FAILED");
  });

  it("shows Stopping from the moment the cancel is sent, and reverts when it is refused", () => {
    const sent = apply({ type: "update", run: started(ID_A) }, { type: "cancel-sent", id: ID_A });
    expect(isStopping(sent[ID_A])).toBe(true);
    expect(isStopping(reduceActiveRuns(sent, { type: "cancel-failed", id: ID_A })[ID_A])).toBe(false);
    const ended = reduceActiveRuns(sent, { type: "finished", run: started(ID_A, { status: "CANCELLED", cancelRequested: true }), at: 2 });
    expect(isStopping(ended[ID_A])).toBe(false);
  });

  it("lists started runs first, oldest start first, then queued runs by due time", () => {
    const state = apply(
      { type: "update", run: run(ID_A, { scheduledFor: "2026-11-22T09:00:00.000Z" }) },
      { type: "update", run: started(ID_B) },
    );
    expect(orderedRuns(state).map((entry) => entry.id)).toEqual([ID_B, ID_A]);
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
