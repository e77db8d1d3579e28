// A paused job, for the list and the job page (server and client alike).
import type { JobDto } from "@/lib/jobs/schemas";
import { formatUtc } from "@/components/ui/time-format";

/** Paused while `pausedUntil` is in the future (the server reads a past pause as none, too). */
export const isPaused = (job: Pick<JobDto, "pausedUntil">, now: number) => job.pausedUntil !== null && new Date(job.pausedUntil).getTime() > now;

export function PausedNote({ pausedUntil }: { pausedUntil: string }) {
  return (
    <span className="badge tone-warn" data-testid="paused-until" title="Its scheduled fires are recorded as skipped until then">
      Paused until {formatUtc(new Date(pausedUntil))}
    </span>
  );
}
