import { hasRole } from "@/lib/auth/roles";
import { requireSignedIn } from "@/lib/auth/session";
import { definitions } from "@/lib/handlers/registry";
import { listJobs } from "@/lib/jobs";
import { hasFilters, listHref, parseListQuery } from "@/components/jobs/list-query";
import { JobsView } from "@/components/jobs/jobs-view";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { Pager } from "@/components/ui/pager";

export const dynamic = "force-dynamic";

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireSignedIn();
  const { query, ignored } = parseListQuery(await searchParams);
  const jobs = await listJobs({ actor, input: query });
  const emptyBecause = hasFilters(query) ? "filters" : jobs.total > 0 ? "page" : "none";
  return (
    <>
      <IgnoredFilters names={ignored} />
      <JobsView
        // A new list (other filters or page) starts with nothing selected.
        key={listHref(query)}
        jobs={jobs.items}
        total={jobs.total}
        canEdit={hasRole(actor.role, "operator")}
        definitions={definitions()}
        serverNow={Date.now()}
        emptyBecause={emptyBecause}
        firstPageHref={listHref(query, { page: 1 })}
        filter={{ query: query.query, type: query.type, enabled: query.enabled, health: query.health, lastStatus: query.lastStatus }}
      />
      <Pager page={query.page} pageSize={query.pageSize} total={jobs.total} href={(page) => listHref(query, { page })} label="Jobs" hideSinglePage />
    </>
  );
}
