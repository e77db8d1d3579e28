"use client";
// The runs page's live side, over the console's one event stream (components/events): the active
// runs come from the stream's snapshot and events; the server parts (history, figures) re-render
// shortly after runs are queued or finish, or after a reconnect; ends are announced.
import { useEffect, useRef, type ReactNode } from "react";
import { toast } from "sonner";
import { useAnnounce } from "@/components/ui/live-region";
import { useActiveRuns, useEventStream, useStreamEvent } from "@/components/events/event-stream";
import { useThrottledRefresh } from "@/components/events/use-throttled-refresh";
import type { ExecutionSummary } from "@/lib/events/types";
import type { ActiveRuns, ActiveRunsEvent, LiveRun } from "./active-runs";
import { finishedSentence } from "./run-words";

const REFRESH_GAP_MS = 1500;
/** Ends of runs nobody here acted on are summed up at most this often ("3 runs finished"). */
const SUMMARY_EVERY_MS = 5000;

export function RunsStream({ children }: { children: ReactNode }) {
  useRefreshOnRunChanges();
  useAnnounceEnds();
  return <>{children}</>;
}

export interface RunsStreamValue extends ActiveRuns {
  dispatch: (event: ActiveRunsEvent) => boolean;
}

export function useRunsStream(): RunsStreamValue {
  const { hub } = useEventStream();
  return { ...useActiveRuns(), dispatch: hub.dispatch };
}

/** The end of a run someone asked to stop; one toast per run even if two paths report it. */
export function toastStopOutcome(run: ExecutionSummary): void {
  const sentence = finishedSentence(run);
  if (run.status === "CANCELLED") toast.success(sentence, { id: `stop-${run.id}` });
  else toast.info(`${sentence} before it could be stopped`, { id: `stop-${run.id}` });
}

function useRefreshOnRunChanges(): void {
  const refreshSoon = useThrottledRefresh(REFRESH_GAP_MS);
  const seenSnapshot = useRef(false);
  useStreamEvent("execution.queued", refreshSoon);
  useStreamEvent("execution.finished", refreshSoon);
  // After a gap, runs may have finished unseen: the history and figures catch up too.
  useStreamEvent("snapshot", () => {
    if (seenSnapshot.current) refreshSoon();
    seenSnapshot.current = true;
  });
}

/**
 * Each run on show is announced once when it ends, whichever path (the stream or the cancel's
 * answer) said so first: runs cancelled from here one by one, the others as a throttled summary.
 */
function useAnnounceEnds(): void {
  const { hub } = useEventStream();
  const announce = useAnnounce();
  useEffect(() => {
    let others: LiveRun[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (others.length > 0) announce(endsSummary(others));
      others = [];
    };
    const stop = hub.onRunEnded((before, after) => {
      if (before.stopping || before.cancelRequested || before.cancelledHere) toastStopOutcome(after);
      if (before.cancelledHere) return announce(finishedSentence(after));
      others.push(after);
      timer ??= setTimeout(flush, SUMMARY_EVERY_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [hub, announce]);
}

/** One run: its sentence; several: "3 runs finished, 1 failed". */
export function endsSummary(runs: Pick<LiveRun, "id" | "jobName" | "status" | "error">[]): string {
  if (runs.length === 1) return finishedSentence(runs[0]);
  const failed = runs.filter((run) => run.status === "FAILED").length;
  return `${runs.length} runs finished${failed > 0 ? `, ${failed} failed` : ""}`;
}
