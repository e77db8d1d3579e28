import Link from "next/link";
import { requireSignedIn } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/roles";
import { listExecutions } from "@/lib/executions/list";
import { HistoryTable } from "@/components/runs/history-table";
import { historyPageHref } from "@/components/runs/run-href";
import { Pager } from "@/components/ui/pager";
import { hasRunFilters, parseRunsQuery, type RunsQuery } from "@/components/runs/runs-query";
import { toParams } from "@/components/executions/execution-href";
import { IgnoredFilters } from "@/components/ui/ignored-filters";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireSignedIn();
  const raw = await searchParams;
  const { query, ignored } = parseRunsQuery(raw);
  // No Suspense fallback here (nor a loading.tsx): on a page load React reveals a streamed
  // boundary no sooner than 300 ms after its fallback was painted, longer than the history takes to
  // read. New filters or pages keep the table on screen until the new one is ready.
  return (
    <>
      <IgnoredFilters names={ignored} />
      <History actor={actor} query={query} current={toParams(raw)} />
    </>
  );
}

async function History({ actor, query, current }: { actor: Actor; query: RunsQuery; current: URLSearchParams }) {
  const page = await listExecutions({ actor, input: query });
  if (page.items.length === 0 && page.page === 1) {
    return hasRunFilters(query) ? (
      <div className="empty" data-testid="history-empty">
        <p>No runs match these filters.</p>
        <Link href="/runs" scroll={false}>
          Clear filters
        </Link>
      </div>
    ) : (
      <p className="empty" data-testid="history-empty">
        No runs yet. Runs appear here as jobs fire or are run by hand.
      </p>
    );
  }
  return (
    <>
      {page.items.length > 0 ? <HistoryTable page={page} current={current} serverNow={Date.now()} /> : null}
      <Pager page={page.page} pageSize={page.pageSize} total={page.total} totalCapped={page.totalCapped} shown={page.items.length} href={(n) => historyPageHref(current, n)} label="History" scroll={false} />
    </>
  );
}
