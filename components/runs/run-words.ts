// How runs read in words: short ids, outcomes, durations.
import type { ExecutionSummary } from "@/lib/events/types";

export const shortId = (id: string) => id.slice(0, 8);

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

/** "450 ms", "12 s", "3 min", "2 h 5 min": compact elapsed or remaining time. */
export function formatSpan(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
