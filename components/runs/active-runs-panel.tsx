"use client";
// The live monitor: what is running or queued right now, from the event stream alone, with
// progress, age and (for operators) a cancel that shows "Stopping..." until the run has ended.
// At most SHOWN_CARDS cards are drawn, active runs first; the history below lists every run.
import { useLayoutEffect, useMemo, useRef } from "react";
import { useSearchParams } from "next/navigation";
import { ExecutionLink } from "@/components/executions/execution-link";
import { Button } from "@/components/ui/button";
import { ExecutionStatusBadge } from "@/components/ui/execution-status-badge";
import { useSecondClock } from "@/components/ui/clock";
import { ACTIVE_LIMIT } from "@/lib/executions/status";
import { LEVEL_LOOK } from "@/components/ui/log-level";
import { activeCountText, isStopping, shownRuns, type LiveRun } from "./active-runs";
import { runDetailsHref } from "./run-href";
import { formatSpan, shortId } from "./run-words";
import { useActiveRuns } from "@/components/events/event-stream";
import { useCancelRun } from "./use-cancel-run";

/** More cards than this is a wall nobody reads, and each re-renders every second. */
export const SHOWN_CARDS = 50;

export function ActiveRunsPanel({ canCancel, serverNow }: { canCancel: boolean; serverNow: number }) {
  const monitor = useActiveRuns();
  const now = useSecondClock(serverNow);
  const cancel = useCancelRun();
  const searchParams = useSearchParams();
  const heading = useRef<HTMLHeadingElement>(null);
  const { shown, more } = useMemo(() => shownRuns(monitor, SHOWN_CARDS), [monitor]);
  // Built once per render of the panel, not per card: the details link keeps the page's params.
  const detailsHref = useMemo(() => {
    const current = new URLSearchParams(searchParams);
    return (id: string) => runDetailsHref(current, id);
  }, [searchParams]);
  // A card leaving under the keyboard focus hands it to the section's heading, not to the page's top.
  const focusHeading = () => heading.current?.focus();
  return (
    <section aria-labelledby="active-title" className="runs-active" aria-busy={!monitor.loaded || undefined} data-testid="live-monitor">
      <div className="section-header">
        <h2 id="active-title" ref={heading} tabIndex={-1}>
          Active runs
        </h2>
        {monitor.loaded ? (
          <p className="muted small" data-testid="active-count">
            {activeCountText(monitor)}
          </p>
        ) : null}
      </div>
      {monitor.truncated ? (
        <p className="muted small" data-testid="active-truncated">
          More runs are active than the monitor follows: it shows the oldest {ACTIVE_LIMIT.toLocaleString("en-US")}. The history below lists them all.
        </p>
      ) : null}
      {!monitor.loaded ? (
        <p className="empty" data-testid="active-loading">Connecting to live updates…</p>
      ) : shown.length === 0 ? (
        <p className="empty" data-testid="active-empty">Nothing is running or queued right now.</p>
      ) : (
        <>
          <ul className="run-cards" aria-label="Running and queued executions">
            {shown.map((run) => (
              <ActiveRunCard key={run.id} run={run} now={now} canCancel={canCancel} onCancel={cancel} href={detailsHref(run.id)} onFocusLost={focusHeading} />
            ))}
          </ul>
          {more > 0 ? (
            <p className="muted small" data-testid="active-more">
              and {more.toLocaleString("en-US")} more — see the history below.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

interface CardProps {
  run: LiveRun;
  now: number;
  canCancel: boolean;
  onCancel: (run: LiveRun) => void;
  href: string;
  onFocusLost: () => void;
}

function ActiveRunCard({ run, now, canCancel, onCancel, href, onFocusLost }: CardProps) {
  const id = shortId(run.id);
  const card = useRef<HTMLLIElement>(null);
  const focusLost = useRef(onFocusLost);
  useLayoutEffect(() => {
    focusLost.current = onFocusLost;
  });
  // Runs while the card is still in the document, so it can tell whether it held the focus.
  useLayoutEffect(() => {
    const element = card.current;
    return () => {
      if (element?.contains(document.activeElement)) focusLost.current();
    };
  }, []);
  return (
    <li ref={card} className={`run-card${run.endedAt ? " ended" : ""}`} data-execution-id={run.id} data-testid="active-run">
      <div className="run-card-head">
        <div className="run-card-title">
          <span className="job-name">{run.jobName}</span>
          <span className="muted small">
            {run.type} ·{" "}
            <ExecutionLink href={href} label={`Details of run ${id}`} className="mono">
              {id}
            </ExecutionLink>
          </span>
        </div>
        <ExecutionStatusBadge status={run.status} stopping={isStopping(run)} testId="run-status" />
      </div>
      <RunProgress run={run} />
      <LastLogLine run={run} />
      <div className="run-card-foot">
        <p className="muted small">
          <RunTiming run={run} now={now} /> · {run.trigger}
          {run.attempt > 1 ? `, attempt ${run.attempt}` : ""} by {run.triggeredBy}
        </p>
        {canCancel && (!run.endedAt || run.cancelledHere) ? <CancelButton run={run} onCancel={onCancel} /> : null}
      </div>
    </li>
  );
}

/**
 * Cancel, then a disabled "Stopping...", then (while the card lingers) "Cancelled": one Button
 * throughout, so the element under the keyboard focus is never replaced.
 */
function CancelButton({ run, onCancel }: { run: LiveRun; onCancel: (run: LiveRun) => void }) {
  const label = `run ${shortId(run.id)} of ${run.jobName}`;
  if (run.endedAt) {
    const words = run.status === "CANCELLED" ? "Cancelled" : "Finished";
    return (
      <Button variant="secondary" size="small" busy aria-label={`${words} ${label}`}>
        {words}
      </Button>
    );
  }
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

/** The newest line the run logged, on one line (cut with an ellipsis; the whole line is in its tooltip and its details). */
function LastLogLine({ run }: { run: LiveRun }) {
  const line = run.lastLog;
  if (!line) return null;
  const look = LEVEL_LOOK[line.level];
  return (
    <p className={`run-last-log level-${look.tone}`} title={line.message} data-testid="run-last-log" data-seq={line.seq}>
      <span className="log-level">
        {look.mark ? <span aria-hidden="true">{look.mark} </span> : null}
        {look.label}
      </span>
      <span className="run-last-log-text">{line.message}</span>
    </p>
  );
}

function RunTiming({ run, now }: { run: LiveRun; now: number }) {
  if (run.endedAt && run.finishedAt) return <>{run.durationMs !== null ? `finished after ${formatSpan(run.durationMs)}` : "finished"}</>;
  if (run.startedAt) return <>started {formatSpan(now - Date.parse(run.startedAt))} ago</>;
  const due = Date.parse(run.scheduledFor) - now;
  if (due > 1000) return <>queued, starts in {formatSpan(due)}</>;
  return <>queued {formatSpan(now - Date.parse(run.queuedAt))} ago, waiting for a worker</>;
}
