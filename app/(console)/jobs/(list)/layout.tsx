// The jobs list's frame: heading, execution stats and filters. It stays mounted while the list
// below reloads for new search params, so the search box keeps its focus and text.
import { Suspense } from "react";
import { requireSignedIn } from "@/lib/auth/session";
import { stats } from "@/lib/executions/stats";
import { listHandlers } from "@/lib/handlers/registry";
import { ExecutionDetails } from "@/components/executions/execution-details";
import { JobFilters } from "@/components/jobs/job-filters";
import { LiveRefresh } from "@/components/jobs/live-refresh";
import { StatsStrip } from "@/components/jobs/stats-strip";

export default async function JobsListLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSignedIn();
  const summary = await stats({ actor });
  const types = listHandlers({ includeSystem: true }).map((handler) => handler.type);
  return (
    <>
      <div className="page-header">
        <h1 tabIndex={-1}>Jobs</h1>
        <LiveRefresh />
      </div>
      <StatsStrip stats={summary} />
      <Suspense>
        <JobFilters types={types} />
      </Suspense>
      {children}
      {/* Opened by the "View" of a new run's toast (Run job, run now). */}
      <ExecutionDetails />
    </>
  );
}
