// A job's execution history, newest first, with status and trigger filters and pages in the URL search
// params (a plain GET form, so it works before hydration and from the keyboard).
import { Pager } from "@/components/ui/pager";
import { RelativeTime } from "@/components/ui/relative-time";
import { shortId } from "@/components/ui/short-id";
import { hrefWith, parseLenient, type RawParams } from "@/components/ui/url-query";
import { formatDuration, formatUtc } from "@/components/ui/time-format";
import { executionHref } from "@/components/executions/execution-href";
import { ExecutionLink } from "@/components/executions/execution-link";
import { JobExecutionsQuery, type ExecutionPage } from "@/lib/executions/list";
import { EXECUTION_STATUSES, EXECUTION_TRIGGERS } from "@/lib/jobs/schemas";
import { LastStatusBadge } from "./status-badges";

const PAGE_SIZE = 20;
export type HistoryQuery = { page: number; pageSize: number; status?: (typeof EXECUTION_STATUSES)[number]; trigger?: (typeof EXECUTION_TRIGGERS)[number] };

/** Lenient: a bad status, trigger or page is dropped rather than failing the page. */
export const parseHistoryQuery = (raw: RawParams): HistoryQuery => parseLenient(raw, JobExecutionsQuery, ["status", "trigger", "page"], { pageSize: PAGE_SIZE }).query;

const href = (jobId: string, query: HistoryQuery, page: number) => `${hrefWith(`/jobs/${jobId}`, { status: query.status, trigger: query.trigger, page })}#history`;

/** Opens the run in the details modal, keeping the history's filters and page. */
const detailsHref = (jobId: string, query: HistoryQuery, executionId: string) =>
  executionHref(
    `/jobs/${jobId}`,
    { ...(query.status ? { status: query.status } : {}), ...(query.trigger ? { trigger: query.trigger } : {}), ...(query.page > 1 ? { page: String(query.page) } : {}) },
    executionId,
  );

export function ExecutionHistory({ jobId, page, query, serverNow }: { jobId: string; page: ExecutionPage; query: HistoryQuery; serverNow: number }) {
  return (
    <section aria-labelledby="history-title" className="detail-section" id="history" data-testid="execution-history">
      <h2 id="history-title">Execution history</h2>
      <form method="get" action={`/jobs/${jobId}#history`} className="filters">
        <div className="filter">
          <label htmlFor="history-status">Status</label>
          <select id="history-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">Any status</option>
            {EXECUTION_STATUSES.map((status) => (
              <option key={status} value={status}>{status.toLowerCase()}</option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="history-trigger">Trigger</label>
          <select id="history-trigger" name="trigger" defaultValue={query.trigger ?? ""}>
            <option value="">Any trigger</option>
            {EXECUTION_TRIGGERS.map((trigger) => (
              <option key={trigger} value={trigger}>{trigger}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary small">Filter</button>
      </form>
      {page.items.length === 0 ? (
        <p className="empty">{query.status || query.trigger ? "No executions match these filters." : "No executions yet."}</p>
      ) : (
        <div className="table-wrap">
          <table className="jobs-table history-table">
            <caption className="sr-only">Executions, newest first</caption>
            <thead>
              <tr>
                {["Run", "Status", "Trigger", "Attempt", "Queued", "Started", "Finished", "Duration", "Error"].map((name) => (
                  <th key={name} scope="col">{name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.items.map((run) => (
                <tr key={run.id} data-execution-id={run.id}>
                  <td data-label="Run">
                    <ExecutionLink href={detailsHref(jobId, query, run.id)} className="run-link mono" label={`Details of run ${shortId(run.id)}`}>
                      {shortId(run.id)}
                    </ExecutionLink>
                  </td>
                  <td data-label="Status"><LastStatusBadge status={run.status} /></td>
                  <td data-label="Trigger">{run.trigger}<span className="muted small"> by {run.triggeredBy}</span></td>
                  <td data-label="Attempt">{run.attempt}</td>
                  <td data-label="Queued"><RelativeTime iso={run.queuedAt} serverNow={serverNow} /></td>
                  <td data-label="Started">{run.startedAt ? formatUtc(new Date(run.startedAt)) : "—"}</td>
                  <td data-label="Finished">{run.finishedAt ? formatUtc(new Date(run.finishedAt)) : "—"}</td>
                  <td data-label="Duration">{run.durationMs === null ? "—" : formatDuration(run.durationMs)}</td>
                  <td data-label="Error">{run.error ? <span className="error">{run.error.message || run.error.code}</span> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={query.page} pageSize={query.pageSize} total={page.total} totalCapped={page.totalCapped} shown={page.items.length} href={(n) => href(jobId, query, n)} label="Executions" hideSinglePage />
    </section>
  );
}
