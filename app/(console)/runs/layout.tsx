// The runs page's frame: figures, the live monitor and the history filters. It stays mounted
// while the history below reloads for new filters or pages, so the event stream stays connected.
import { Suspense } from "react";
import { hasRole } from "@/lib/auth/roles";
import { requireSignedIn } from "@/lib/auth/session";
import { stats } from "@/lib/executions/stats";
import { listJobs } from "@/lib/jobs";
import { definitions } from "@/lib/handlers/registry";
import { ExecutionDetails } from "@/components/executions/execution-details";
import { RunJobButton } from "@/components/executions/run-job-modal";
import { ActiveRunsPanel } from "@/components/runs/active-runs-panel";
import { ConnectionBanner, LiveStatus } from "@/components/runs/connection-banner";
import { RunFilters } from "@/components/runs/run-filters";
import { RunsStream } from "@/components/runs/runs-stream";
import { StatsPanel } from "@/components/runs/stats-panel";

/** The job filter lists this many jobs by name; the history's own links filter by any job. */
const JOB_OPTIONS = 200;

export default async function RunsLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSignedIn();
  const [summary, jobs] = await Promise.all([stats({ actor }), listJobs({ actor, input: { page: 1, pageSize: JOB_OPTIONS } })]);
  return (
    <RunsStream>
      <div className="page-header">
        <h1 tabIndex={-1}>Runs</h1>
        <LiveStatus />
        {hasRole(actor.role, "operator") ? <RunJobButton definitions={definitions()} /> : null}
      </div>
      <ConnectionBanner />
      <Suspense>
        <StatsPanel stats={summary} canCleanUp={hasRole(actor.role, "admin")} />
        <ActiveRunsPanel canCancel={hasRole(actor.role, "operator")} serverNow={Date.now()} />
      </Suspense>
      <section aria-labelledby="history-title" className="runs-history">
        <h2 id="history-title">History</h2>
        <Suspense>
          <RunFilters jobs={jobs.items.map(({ id, name }) => ({ id, name }))} />
        </Suspense>
        {children}
      </section>
      <ExecutionDetails />
    </RunsStream>
  );
}
