"use client";
// The next fire times of the schedule being edited, computed in the browser with the same croner
// code the scheduler uses. A change of UTC offset between two times (a DST switch) is marked.
import { useMemo } from "react";
import { formatInZone, formatRelative, formatUtc } from "@/components/ui/time-format";
import type { Schedule } from "@/lib/jobs/schemas";
import { fireTimes, type FireTime } from "./fire-times";

const COUNT = 5;

export function FireTimePreview({ schedule, problem }: { schedule: Schedule | null; problem: string | null }) {
  // Cron times are shown in the job's zone; the others run on absolute times, shown in the browser's.
  const zone = schedule?.type === "cron" ? schedule.timezone : undefined;
  const scheduleKey = JSON.stringify(schedule);
  const preview = useMemo(() => {
    if (!schedule || problem) return { times: [] as FireTime[], now: Date.now() };
    try {
      const now = new Date();
      return { times: fireTimes(schedule, zone, now, COUNT), now: now.getTime() };
    } catch {
      return { times: [] as FireTime[], now: Date.now() };
    }
    // The schedule object is rebuilt on every keystroke; its JSON says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scheduleKey, zone, problem]);

  if (schedule?.type === "manual") {
    return <p className="preview-note">Runs only when someone presses Run now or calls the API.</p>;
  }
  return (
    <div className="fire-preview" data-testid="fire-preview">
      <h4 className="preview-title">
        Next {COUNT} fire times{" "}
        <span className="muted">({zone ?? `your time zone, ${Intl.DateTimeFormat().resolvedOptions().timeZone}`})</span>
      </h4>
      {problem ? (
        <p className="preview-note">No preview until the schedule is valid.</p>
      ) : preview.times.length === 0 ? (
        <p className="preview-note">This schedule does not fire again.</p>
      ) : (
        <ol className="fire-times">
          {preview.times.map(({ at, offset, offsetChangedFrom }) => (
            <li key={at.toISOString()}>
              <time dateTime={at.toISOString()} title={formatUtc(at)}>
                {formatInZone(at, zone, { seconds: at.getUTCSeconds() !== 0 })}
              </time>{" "}
              <span className="muted">({formatRelative(at, preview.now)})</span>
              {offsetChangedFrom ? (
                <span className="badge tone-warn dst-badge" title={`The UTC offset changes from ${offsetChangedFrom} to ${offset}`}>
                  <span className="badge-icon" aria-hidden="true">
                    ⇄
                  </span>
                  DST change: {offsetChangedFrom} → {offset}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
