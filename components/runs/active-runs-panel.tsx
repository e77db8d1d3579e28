"use client";
// The live monitor: what is running or queued right now, from the event stream alone, with
// progress, age and (for operators) a cancel that shows "Stopping..." until the run has ended.
import { ExecutionLink } from "@/components/executions/execution-link";
import { useSearchParams } from "next/navigation";
import { LastStatusBadge } from "@/components/jobs/status-badges";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { isStopping, type LiveRun } from "./active-runs";
import { runDetailsHref } from "./run-href";
import { formatSpan, shortId } from "./run-words";
import { useRunsStream } from "./runs-stream";
import { useSecondClock } from "@/components/ui/clock";
import { useCancelRun } from "./use-cancel-run";

export function ActiveRunsPanel({ canCancel, serverNow }: { canCancel: boolean; serverNow: number }) {
  const { runs, loaded } = useRunsStream();
  const now = useSecondClock(serverNow);
  const cancel = useCancelRun();
  const running = runs.filter((run) => !run.endedAt && run.status === "RUNNING").length;
  const queued = runs.filter((run) => !run.endedAt && run.status === "QUEUED").length;
  return (
    <section aria-labelledby="active-title" className="runs-active" aria-busy={!loaded || undefined} data-testid="live-monitor">
      <div className="section-header">
        <h2 id="active-title">Active runs</h2>
        {loaded ? <p className="muted small" data-testid="active-count">{`${running} running, ${queued} queued`}</p> : null}
      </div>
      {!loaded ? (
        <p className="empty" data-testid="active-loading">Connecting to live updates…</p>
      ) : runs.length === 0 ? (
        <p className="empty" data-testid="active-empty">Nothing is running or queued right now.</p>
      ) : (
        <ul className="run-cards" aria-label="Running and queued executions">
          {runs.map((run) => (
            <ActiveRunCard key={run.id} run={run} now={now} canCancel={canCancel} onCancel={cancel} />
          ))}
        </ul>
      )}
    </section>
  );
}

interface CardProps {
  run: LiveRun;
  now: number;
  canCancel: boolean;
  onCancel: (run: LiveRun) => void;
}

function ActiveRunCard({ run, now, canCancel, onCancel }: CardProps) {
  const searchParams = useSearchParams();
  const id = shortId(run.id);
  return (
    <li className={`run-card${run.endedAt ? " ended" : ""}`} data-execution-id={run.id} data-testid="active-run">
      <div className="run-card-head">
        <div className="run-card-title">
          <span className="job-name">{run.jobName}</span>
          <span className="muted small">
            {run.type} ·{" "}
            <ExecutionLink href={runDetailsHref(new URLSearchParams(searchParams), run.id)} label={`Details of run ${id}`} className="mono">
              {id}
            </ExecutionLink>
          </span>
        </div>
        <RunState run={run} />
      </div>
      <RunProgress run={run} />
      <div className="run-card-foot">
        <p className="muted small">
          <RunTiming run={run} now={now} /> · {run.trigger}
          {run.attempt > 1 ? `, attempt ${run.attempt}` : ""} by {run.triggeredBy}
        </p>
        {canCancel && !run.endedAt ? <CancelButton run={run} onCancel={onCancel} /> : null}
      </div>
    </li>
  );
}

function RunState({ run }: { run: LiveRun }) {
  if (isStopping(run)) {
    return (
      <Badge tone="warn" icon="■">
        Stopping
      </Badge>
    );
  }
  return (
    <span data-testid="run-status">
      <LastStatusBadge status={run.status} />
    </span>
  );
}

function CancelButton({ run, onCancel }: { run: LiveRun; onCancel: (run: LiveRun) => void }) {
  const label = `run ${shortId(run.id)} of ${run.jobName}`;
  if (isStopping(run)) {
    return (
      <Button variant="secondary" size="small" busy aria-label={`Stopping... ${label}`}>
        Stopping...
      </Button>
    );
  }
  return (
    <Button variant="danger" size="small" onClick={() => onCancel(run)} aria-label={`Cancel ${label}`}>
      Cancel
    </Button>
  );
}

function RunProgress({ run }: { run: LiveRun }) {
  if (run.status === "QUEUED" || (run.endedAt && !run.progress)) return null;
  const percent = run.progress?.percent ?? 0;
  const message = run.progress?.message;
  return (
    <div className="run-progress">
      <progress max={100} value={percent} aria-label={`Progress of ${run.jobName}`} aria-valuetext={`${percent}%${message ? `, ${message}` : ""}`} />
      <span className="small" data-testid="run-progress-text">
        {percent}%{message ? ` · ${message}` : ""}
      </span>
    </div>
  );
}

function RunTiming({ run, now }: { run: LiveRun; now: number }) {
  if (run.endedAt && run.finishedAt) return <>{run.durationMs !== null ? `finished after ${formatSpan(run.durationMs)}` : "finished"}</>;
  if (run.startedAt) return <>started {formatSpan(now - Date.parse(run.startedAt))} ago</>;
  const due = Date.parse(run.scheduledFor) - now;
  if (due > 1000) return <>queued, starts in {formatSpan(due)}</>;
  return <>queued {formatSpan(now - Date.parse(run.queuedAt))} ago, waiting for a worker</>;
}
