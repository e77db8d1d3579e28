"use client";
// What the details modal shows of one execution: who started it and why, the job version, a
// timeline, progress while it runs, and params, result and error as JSON.
import { useEffect, useState } from "react";
import Link from "next/link";
import { ExecutionStatusBadge } from "@/components/ui/execution-status-badge";
import { formatInZone, formatUtc } from "@/components/ui/time-format";
import type { ExecutionDto } from "@/lib/executions/schemas";
import { ChainFacts } from "./chain-facts";
import { CopyIdButton } from "./copy-id-button";
import { JsonView } from "./json-view";
import { isActive } from "@/lib/executions/status";
import { executionTimeline } from "./timeline";

const TRIGGER_WORDS: Record<ExecutionDto["trigger"], string> = { schedule: "On schedule", manual: "Manually", retry: "Retry", backfill: "Backfill", chain: "Chained" };

export function ExecutionStatus({ execution }: { execution: ExecutionDto }) {
  return <ExecutionStatusBadge status={execution.status} stopping={execution.status === "RUNNING" && execution.cancelRequested} testId="execution-status" />;
}

/** Read out when the status changes, whichever tab is open; the badge in the title shows it. */
export function ExecutionStatusAnnouncement({ execution }: { execution: ExecutionDto }) {
  return (
    <p className="sr-only" role="status" aria-live="polite">
      Status: {execution.status.toLowerCase()}
      {execution.cancelRequested && execution.status === "RUNNING" ? ", stopping" : ""}
    </p>
  );
}

export function ExecutionBody({ execution }: { execution: ExecutionDto }) {
  const now = useTicker(isActive(execution.status));
  return (
    <>
      {execution.status === "RUNNING" ? <ProgressBar progress={execution.progress} /> : null}
      <dl className="definition execution-facts">
        <Fact label="Execution id">
          <span className="execution-id">
            <code data-testid="execution-id">{execution.id}</code>
            <CopyIdButton id={execution.id} />
          </span>
        </Fact>
        <Fact label="Job">
          {execution.jobId ? (
            <>
              <Link href={`/jobs/${execution.jobId}`}>{execution.jobName}</Link>
              {execution.jobVersion !== null ? <span className="muted"> · version {execution.jobVersion}</span> : null}
            </>
          ) : (
            <span className="muted">None (an ad-hoc run)</span>
          )}
        </Fact>
        <Fact label="Handler">
          <code>{execution.type}</code>
        </Fact>
        <Fact label="Trigger">
          <span data-testid="execution-trigger">
            {TRIGGER_WORDS[execution.trigger]} <span className="muted">by</span> {execution.triggeredBy}
          </span>
        </Fact>
        <Fact label="Attempt">{execution.attempt}</Fact>
        <ChainFacts execution={execution} />
        {execution.workerId ? <Fact label="Worker">{execution.workerId}</Fact> : null}
      </dl>
      <Timeline execution={execution} now={now} />
      {execution.error ? <JsonView label="Error" value={execution.error} testId="execution-error" tone="danger" /> : null}
      <JsonView label="Params" value={execution.params} testId="execution-params" />
      {execution.result !== null ? <JsonView label="Result" value={execution.result} testId="execution-result" /> : <p className="muted">No result{isActive(execution.status) ? " yet" : ""}.</p>}
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ProgressBar({ progress }: { progress: ExecutionDto["progress"] }) {
  const percent = progress?.percent ?? 0;
  return (
    <div className="execution-progress" data-testid="execution-progress">
      <label htmlFor="execution-progress-bar">Progress</label>
      <progress id="execution-progress-bar" max={100} value={percent}>
        {percent}%
      </progress>
      <span className="small">
        {percent}%{progress?.message ? ` · ${progress.message}` : ""}
      </span>
    </div>
  );
}

function Timeline({ execution, now }: { execution: ExecutionDto; now: number }) {
  return (
    <section aria-labelledby="execution-timeline-title" className="execution-timeline" data-testid="execution-timeline">
      <h3 id="execution-timeline-title">Timeline</h3>
      <ol>
        {executionTimeline(execution, now).map((entry) => (
          <li key={entry.key} data-entry={entry.key} className={entry.at ? "done" : "pending"}>
            <span className="timeline-label">{entry.label}</span>
            {entry.at ? (
              <time dateTime={entry.at} title={formatUtc(new Date(entry.at))}>
                {formatInZone(new Date(entry.at), undefined, { seconds: true })}
              </time>
            ) : (
              <span className="muted">—</span>
            )}
            {entry.note ? <span className="timeline-note muted">{entry.note}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The time, every second while the run is active (for "running for …"), fixed otherwise. */
function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
