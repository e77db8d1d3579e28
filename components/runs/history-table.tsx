// The execution history: one page (50) of GET /api/executions' answer with the URL's filters,
// newest first. Each run links to its details (`?execution=<id>`, keeping the other params).
import { ExecutionLink } from "@/components/executions/execution-link";
import { LastStatusBadge } from "@/components/jobs/status-badges";
import { RelativeTime } from "@/components/ui/relative-time";
import { shortId } from "@/components/ui/short-id";
import { formatDuration } from "@/components/ui/time-format";
import type { ExecutionPage } from "@/lib/executions/list";
import { runDetailsHref } from "./run-href";
import { DataTable } from "@/components/ui/data-table";

const COLUMNS = ["Run", "Job", "Status", "Trigger", "Queued", "Duration", "Outcome"];

export function HistoryTable({ page, current, serverNow }: { page: ExecutionPage; current: URLSearchParams; serverNow: number }) {
  return (
    <DataTable className="jobs-table runs-table" caption="Executions, newest first" columns={COLUMNS} testId="history-table">
      {page.items.map((run) => (
        <tr key={run.id} data-execution-id={run.id}>
          <td data-label="Run" className="cell-run">
            <ExecutionLink href={runDetailsHref(current, run.id)} label={`Details of run ${shortId(run.id)}`} className="mono">
              {shortId(run.id)}
            </ExecutionLink>
          </td>
          <td data-label="Job" className="cell-name">
            <span className="job-name">{run.jobName}</span>
            <span className="job-description">{run.type}</span>
          </td>
          <td data-label="Status">
            <LastStatusBadge status={run.status} />
            {run.cancelRequested && run.status === "RUNNING" ? <span className="muted small"> stopping</span> : null}
          </td>
          <td data-label="Trigger">
            {run.trigger}
            {run.attempt > 1 ? `, attempt ${run.attempt}` : ""}
            <span className="muted small"> by {run.triggeredBy}</span>
          </td>
          <td data-label="Queued">
            <RelativeTime iso={run.queuedAt} serverNow={serverNow} />
          </td>
          <td data-label="Duration">{run.durationMs === null ? "—" : formatDuration(run.durationMs)}</td>
          <td data-label="Outcome" className="cell-outcome">
            {run.error ? <span className={run.status === "FAILED" ? "error" : "muted"}>{run.error.message || run.error.code}</span> : run.progress?.message ? <span className="muted">{run.progress.message}</span> : "—"}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
