// A job's definition as a description list, and its next fire times (computed on the server with
// the scheduler's own schedule code).
import { formatInZone, formatUtc } from "@/components/ui/time-format";
import { describeSchedule } from "@/lib/jobs/describe";
import type { JobDto } from "@/lib/jobs/schemas";
import { fireTimes } from "./fire-times";
import { rawSchedule } from "./schedule-text";

const FIRE_COUNT = 5;

export function JobDefinition({ job }: { job: JobDto }) {
  const raw = rawSchedule(job.schedule);
  const rows: [string, React.ReactNode][] = [
    ["Type", <code key="t">{job.type}</code>],
    ["Schedule", <span key="s" data-testid="detail-schedule">{describeSchedule(job.schedule)}{raw ? <code className="raw-schedule">{raw}</code> : null}</span>],
    ["Time zone", job.schedule.type === "cron" ? job.schedule.timezone : "UTC"],
    ["Enabled", job.enabled ? "Yes" : "No"],
    ["Overlap policy", <code key="o">{job.overlapPolicy}</code>],
    ["Misfire policy", <code key="m">{job.misfirePolicy}</code>],
    ["Timeout", `${job.timeoutSeconds} s`],
    ["Attempts", `${job.maxAttempts} (retry backoff ${job.retryBackoffSeconds} s)`],
    ["Pause after failures", job.pauseAfterFailures ? `${job.pauseAfterFailures} in a row` : "Never"],
    ["Notes", job.notes ?? <span key="n" className="muted">None</span>],
    ["Created", `${formatUtc(new Date(job.createdAt))} by ${job.createdBy}`],
    ["Version", String(job.version)],
  ];
  return (
    <section aria-labelledby="definition-title" className="detail-card" data-testid="job-definition">
      <h2 id="definition-title">Definition</h2>
      <dl className="definition">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div>
          <dt>Params</dt>
          <dd>
            <pre className="mono params-json" tabIndex={0} aria-label="Params as JSON">{JSON.stringify(job.params, null, 2)}</pre>
          </dd>
        </div>
      </dl>
    </section>
  );
}

export function NextFireTimes({ job, now }: { job: JobDto; now: Date }) {
  const zone = job.schedule.type === "cron" ? job.schedule.timezone : "UTC";
  const times = safeFireTimes(job, zone, now);
  return (
    <section aria-labelledby="fire-title" className="detail-card" data-testid="next-fire-times">
      <h2 id="fire-title">Next {FIRE_COUNT} fire times <span className="muted small">({zone})</span></h2>
      {!job.enabled ? <p className="muted">The job is disabled; these are the times it would fire.</p> : null}
      {times.length === 0 ? (
        <p className="muted">{job.schedule.type === "manual" ? "Runs only when someone presses Run now." : "This schedule does not fire again."}</p>
      ) : (
        <ol className="fire-times">
          {times.map(({ at, offset, offsetChangedFrom }) => (
            <li key={at.toISOString()}>
              <time dateTime={at.toISOString()} title={formatUtc(at)}>
                {formatInZone(at, zone, { seconds: at.getUTCSeconds() !== 0 })}
              </time>
              {offsetChangedFrom ? <span className="badge tone-warn dst-badge">DST change: {offsetChangedFrom} → {offset}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function safeFireTimes(job: JobDto, zone: string, now: Date) {
  try {
    return fireTimes(job.schedule, zone, now, FIRE_COUNT);
  } catch {
    return [];
  }
}
