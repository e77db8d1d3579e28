// How runs read in words: short ids, outcomes, durations.
import type { ExecutionSummary } from "@/lib/events/types";
import { formatDuration } from "@/components/ui/time-format";
import { shortId } from "@/components/ui/short-id";

export { shortId };

const OUTCOME: Record<ExecutionSummary["status"], string> = {
  QUEUED: "is queued",
  RUNNING: "is running",
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  CANCELLED: "was cancelled",
  SKIPPED: "was skipped",
};

/** "Run 1a2b3c4d of "Nightly backup" failed: timeout", for the aria-live region. */
export function finishedSentence(run: Pick<ExecutionSummary, "id" | "jobName" | "status" | "error">): string {
  const reason = run.status === "FAILED" && run.error ? `: ${run.error.message || run.error.code}` : "";
  return `Run ${shortId(run.id)} of "${run.jobName}" ${OUTCOME[run.status]}${reason}`;
}

/** "12 s", "3 min": formatDuration's coarse form, under the name active-runs-panel.tsx imports. */
export const formatSpan = (ms: number) => formatDuration(ms, { coarse: true });
