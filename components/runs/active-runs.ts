// The live monitor's model: the active executions as the event stream tells them, keyed by id so
// a snapshot and the events after it never show one run twice. A finished run stays for a few
// seconds with its outcome, so people see how it ended before it leaves the list.
import type { ExecutionSummary } from "@/lib/events/types";
import { isActive } from "@/lib/executions/status";

export const FINISHED_VISIBLE_MS = 6000;

export interface LiveRun extends ExecutionSummary {
  /** Browser time the finish arrived; set once the run has ended. */
  endedAt?: number;
  /** A cancel was sent from this page and its answer is pending. */
  stopping?: boolean;
}

export type ActiveRuns = Record<string, LiveRun>;

export type ActiveRunsEvent =
  | { type: "snapshot"; items: ExecutionSummary[] }
  | { type: "update"; run: ExecutionSummary }
  | { type: "progress"; id: string; percent: number; message: string | null }
  | { type: "finished"; run: ExecutionSummary; at: number }
  | { type: "cancel-sent"; id: string }
  | { type: "cancel-failed"; id: string }
  | { type: "expire"; now: number };

const STAGE: Record<ExecutionSummary["status"], number> = { QUEUED: 0, RUNNING: 1, SUCCEEDED: 2, FAILED: 2, CANCELLED: 2, SKIPPED: 2 };


export function reduceActiveRuns(state: ActiveRuns, event: ActiveRunsEvent): ActiveRuns {
  switch (event.type) {
    case "snapshot":
      return applySnapshot(state, event.items);
    case "update":
      return applyUpdate(state, event.run);
    case "progress":
      return patch(state, event.id, (run) => (run.endedAt ? run : { ...run, progress: { percent: event.percent, message: event.message } }));
    case "finished":
      return patch(state, event.run.id, (run) => (run.endedAt ? run : { ...run, ...event.run, endedAt: event.at, stopping: false }));
    case "cancel-sent":
      return patch(state, event.id, (run) => (run.endedAt ? run : { ...run, stopping: true }));
    case "cancel-failed":
      return patch(state, event.id, (run) => ({ ...run, stopping: false }));
    case "expire":
      return expire(state, event.now);
  }
}

/** On every (re)connect the snapshot is the truth about what is active; outcomes on show stay. */
function applySnapshot(state: ActiveRuns, items: ExecutionSummary[]): ActiveRuns {
  const next: ActiveRuns = {};
  for (const run of Object.values(state)) if (run.endedAt) next[run.id] = run;
  for (const item of items) {
    const known = state[item.id];
    next[item.id] = known && !known.endedAt ? { ...known, ...item, progress: item.progress ?? known.progress } : { ...item };
  }
  return next;
}

/** Queued, started and cancel-requested events; a late event never moves a run backwards. */
function applyUpdate(state: ActiveRuns, run: ExecutionSummary): ActiveRuns {
  if (!isActive(run.status)) return state;
  const known = state[run.id];
  if (!known) return { ...state, [run.id]: { ...run } };
  if (known.endedAt || STAGE[run.status] < STAGE[known.status]) return state;
  return {
    ...state,
    [run.id]: { ...known, ...run, progress: run.progress ?? known.progress, cancelRequested: run.cancelRequested || known.cancelRequested },
  };
}

function patch(state: ActiveRuns, id: string, change: (run: LiveRun) => LiveRun): ActiveRuns {
  const known = state[id];
  if (!known) return state;
  const changed = change(known);
  return changed === known ? state : { ...state, [id]: changed };
}

function expire(state: ActiveRuns, now: number): ActiveRuns {
  const stale = Object.values(state).filter((run) => run.endedAt !== undefined && now - run.endedAt >= FINISHED_VISIBLE_MS);
  if (stale.length === 0) return state;
  const next = { ...state };
  for (const run of stale) delete next[run.id];
  return next;
}

/** Started runs first (oldest start first), then queued ones by when they are due; stable as runs end. */
export function orderedRuns(state: ActiveRuns): LiveRun[] {
  const group = (run: LiveRun) => (run.startedAt ? 0 : 1);
  const time = (run: LiveRun) => run.startedAt ?? run.scheduledFor;
  return Object.values(state).sort((a, b) => group(a) - group(b) || time(a).localeCompare(time(b)) || a.id.localeCompare(b.id));
}

export const isStopping = (run: LiveRun) => !run.endedAt && (Boolean(run.stopping) || run.cancelRequested);
