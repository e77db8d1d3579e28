// The execution history: one page (50) of GET /api/executions' answer with the URL's filters,
// newest first. Each run links to its details (`?execution=<id>`, keeping the other params).
import Link from "next/link";
import { ExecutionLink } from "@/components/executions/execution-link";
import { formatDuration } from "@/components/jobs/execution-history";
import { LastStatusBadge } from "@/components/jobs/status-badges";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ExecutionPage } from "@/lib/executions/list";
import { historyPageHref, runDetailsHref } from "./run-href";
import { shortId } from "./run-words";

const COLUMNS = ["Run", "Job", "Status", "Trigger", "Queued", "Duration", "Outcome"];

export function HistoryTable({ page, current, serverNow }: { page: ExecutionPage; current: URLSearchParams; serverNow: number }) {
  return (
    <div className="table-wrap">
      <table className="jobs-table runs-table" data-testid="history-table">
        <caption className="sr-only">Executions, newest first</caption>
        <thead>
          <tr>
            {COLUMNS.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </div>
  );
}

/** "Showing 1-50 of 1,234" with previous / next; the count stops at 10,000 ("of 10,000+"). */
export function HistoryPagination({ page, current }: { page: ExecutionPage; current: URLSearchParams }) {
  const first = (page.page - 1) * page.pageSize + 1;
  const last = first + page.items.length - 1;
  const hasNext = page.totalCapped ? page.items.length === page.pageSize : last < page.total;
  const total = `${page.total.toLocaleString("en-US")}${page.totalCapped ? "+" : ""}`;
  return (
    <nav aria-label="History pages" className="pagination">
      <PageLink enabled={page.page > 1} href={historyPageHref(current, page.page - 1)} rel="prev">
        ← Previous
      </PageLink>
      <p className="muted" data-testid="history-range" aria-live="polite">
        {page.items.length > 0 ? `Showing ${first}-${last} of ${total}` : `No runs on page ${page.page} of ${total}`}
      </p>
      <PageLink enabled={hasNext} href={historyPageHref(current, page.page + 1)} rel="next">
        Next →
      </PageLink>
    </nav>
  );
}

function PageLink({ enabled, href, rel, children }: { enabled: boolean; href: string; rel: string; children: React.ReactNode }) {
  if (!enabled) {
    return (
      <span className="button secondary small" aria-disabled="true" role="link">
        {children}
      </span>
    );
  }
  return (
    <Link href={href} rel={rel} scroll={false} className="button secondary small">
      {children}
    </Link>
  );
}
