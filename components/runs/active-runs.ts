// The live monitor's model: the active executions as the event stream tells them, keyed by id so
// a snapshot and the events after it never show one run twice. A finished run stays for a few
// seconds with its outcome, so people see how it ended before it leaves the list. At most
// ACTIVE_LIMIT runs are held (the snapshot's own limit); `truncated` says there are more.
import type { ExecutionSummary, LogLine } from "@/lib/events/types";
import { ACTIVE_LIMIT, isActive } from "@/lib/executions/status";

export const FINISHED_VISIBLE_MS = 6000;

export interface LiveRun extends ExecutionSummary {
  /** Browser time the finish arrived; set once the run has ended. */
  endedAt?: number;
  /** A cancel was sent from this page and its answer is pending. */
  stopping?: boolean;
  /** This page asked to cancel it (and was not refused): its end is announced on its own, and its button stays. */
  cancelledHere?: boolean;
  /** The newest line of its log that the stream brought (none until it logs while the page is open). */
  lastLog?: LogLine;
}

export interface ActiveRuns {
  runs: Record<string, LiveRun>;
  /** False until the first snapshot arrived: the list is loading, not empty. */
  loaded: boolean;
  /** More runs are active than the monitor holds (ACTIVE_LIMIT): counts are a lower bound. */
  truncated: boolean;
}

export const NO_RUNS: ActiveRuns = { runs: {}, loaded: false, truncated: false };

export type ActiveRunsEvent =
  | { type: "snapshot"; items: ExecutionSummary[]; truncated: boolean }
  | { type: "update"; run: ExecutionSummary }
  | { type: "progress"; id: string; percent: number; message: string | null }
  | { type: "log"; id: string; lines: LogLine[] }
  | { type: "finished"; run: ExecutionSummary; at: number }
  | { type: "cancel-sent"; id: string }
  | { type: "cancel-failed"; id: string }
  | { type: "expire"; now: number }
  | { type: "reset" };

const STAGE: Record<ExecutionSummary["status"], number> = { QUEUED: 0, RUNNING: 1, SUCCEEDED: 2, FAILED: 2, CANCELLED: 2, SKIPPED: 2 };

export function reduceActiveRuns(state: ActiveRuns, event: ActiveRunsEvent): ActiveRuns {
  switch (event.type) {
    case "snapshot":
      return applySnapshot(state, event.items, event.truncated);
    case "update":
      return applyUpdate(state, event.run);
    case "progress":
      return patch(state, event.id, (run) => (run.endedAt ? run : { ...run, progress: { percent: event.percent, message: event.message } }));
    case "log":
      return patch(state, event.id, (run) => newestLine(run, event.lines));
    case "finished":
      return patch(state, event.run.id, (run) => (run.endedAt ? run : { ...run, ...event.run, endedAt: event.at, stopping: false }));
    case "cancel-sent":
      return patch(state, event.id, (run) => (run.endedAt ? run : { ...run, stopping: true, cancelledHere: true }));
    case "cancel-failed":
      return patch(state, event.id, (run) => ({ ...run, stopping: false, cancelledHere: false }));
    case "expire":
      return expire(state, event.now);
    case "reset":
      return NO_RUNS;
  }
}

/** On every (re)connect the snapshot is the truth about what is active; outcomes on show stay. */
function applySnapshot(state: ActiveRuns, items: ExecutionSummary[], truncated: boolean): ActiveRuns {
  const runs: ActiveRuns["runs"] = {};
  for (const run of Object.values(state.runs)) if (run.endedAt) runs[run.id] = run;
  for (const item of items) {
    const known = state.runs[item.id];
    runs[item.id] = known && !known.endedAt ? { ...known, ...item, progress: item.progress ?? known.progress } : { ...item };
  }
  return { runs, loaded: true, truncated };
}

/** Queued, started and cancel-requested events; a late event never moves a run backwards. */
function applyUpdate(state: ActiveRuns, run: ExecutionSummary): ActiveRuns {
  if (!isActive(run.status)) return state;
  const known = state.runs[run.id];
  if (!known) {
    // Full: the run is counted as "more" rather than held (the history lists it).
    if (activeCount(state) >= ACTIVE_LIMIT) return state.truncated ? state : { ...state, truncated: true };
    return { ...state, runs: { ...state.runs, [run.id]: { ...run } } };
  }
  if (known.endedAt || STAGE[run.status] < STAGE[known.status]) return state;
  const merged = { ...known, ...run, progress: run.progress ?? known.progress, cancelRequested: run.cancelRequested || known.cancelRequested };
  return { ...state, runs: { ...state.runs, [run.id]: merged } };
}

/** A batch's newest line, unless the card already shows a newer one (batches may arrive out of order). */
function newestLine(run: LiveRun, lines: LogLine[]): LiveRun {
  let newest = run.lastLog;
  for (const line of lines) if (!newest || line.seq > newest.seq) newest = line;
  return newest === run.lastLog ? run : { ...run, lastLog: newest };
}

function patch(state: ActiveRuns, id: string, change: (run: LiveRun) => LiveRun): ActiveRuns {
  const known = state.runs[id];
  if (!known) return state;
  const changed = change(known);
  return changed === known ? state : { ...state, runs: { ...state.runs, [id]: changed } };
}

function expire(state: ActiveRuns, now: number): ActiveRuns {
  const stale = Object.values(state.runs).filter((run) => run.endedAt !== undefined && now - run.endedAt >= FINISHED_VISIBLE_MS);
  if (stale.length === 0) return state;
  const runs = { ...state.runs };
  for (const run of stale) delete runs[run.id];
  return { ...state, runs };
}

const activeCount = (state: ActiveRuns) => Object.values(state.runs).filter((run) => !run.endedAt).length;

/** When the next shown outcome should leave the list, or null when none is on show. */
export function nextExpiry(state: ActiveRuns): number | null {
  let first: number | null = null;
  for (const run of Object.values(state.runs)) if (run.endedAt !== undefined && (first === null || run.endedAt < first)) first = run.endedAt;
  return first === null ? null : first + FINISHED_VISIBLE_MS;
}

/** Started runs first (oldest start first), then queued ones by when they are due; stable as runs end. */
export function orderedRuns(state: ActiveRuns): LiveRun[] {
  const group = (run: LiveRun) => (run.startedAt ? 0 : 1);
  const time = (run: LiveRun) => run.startedAt ?? run.scheduledFor;
  return Object.values(state.runs).sort((a, b) => group(a) - group(b) || time(a).localeCompare(time(b)) || a.id.localeCompare(b.id));
}

/**
 * The cards to draw, at most `limit`, in orderedRuns' order. When there is no room for all, active
 * runs come before outcomes on show: the outcome that ended first leaves early to make room, so a
 * busy minute of short runs never hides a new one. `more`: the active runs left without a card.
 */
export function shownRuns(state: ActiveRuns, limit: number): { shown: LiveRun[]; more: number } {
  const ordered = orderedRuns(state);
  if (ordered.length <= limit) return { shown: ordered, more: 0 };
  const active = ordered.filter((run) => !run.endedAt);
  if (active.length >= limit) return { shown: active.slice(0, limit), more: active.length - limit };
  const outcomes = ordered.filter((run) => run.endedAt !== undefined).sort((a, b) => b.endedAt! - a.endedAt!);
  const kept = new Set(outcomes.slice(0, limit - active.length).map((run) => run.id));
  return { shown: ordered.filter((run) => !run.endedAt || kept.has(run.id)), more: 0 };
}

/** "3 running, 1 queued", or "1,000+ running or queued" (a lower bound) when the monitor holds only the oldest. */
export function activeCountText(state: ActiveRuns): string {
  const active = Object.values(state.runs).filter((run) => !run.endedAt);
  if (state.truncated) return `${active.length.toLocaleString("en-US")}+ running or queued`;
  const running = active.filter((run) => run.status === "RUNNING").length;
  return `${running} running, ${active.length - running} queued`;
}

export const isStopping = (run: LiveRun) => !run.endedAt && (Boolean(run.stopping) || run.cancelRequested);
