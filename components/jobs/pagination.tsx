// Previous / next through the jobs list, keeping the filters in the URL.
import Link from "next/link";
import type { JobListQuery } from "@/lib/jobs/schemas";
import { listHref } from "./list-query";

export function Pagination({ query, total }: { query: JobListQuery; total: number }) {
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  if (pages <= 1 && query.page === 1) return null;
  const first = (query.page - 1) * query.pageSize + 1;
  const last = Math.min(total, query.page * query.pageSize);
  return (
    <nav aria-label="Pagination" className="pagination">
      <PageLink page={query.page - 1} enabled={query.page > 1} query={query} rel="prev">
        ← Previous
      </PageLink>
      <span className="muted">
        {first <= last ? `${first}–${last} of ${total}` : `Page ${query.page}`} · page {Math.min(query.page, pages)} of {pages}
      </span>
      <PageLink page={query.page + 1} enabled={query.page < pages} query={query} rel="next">
        Next →
      </PageLink>
    </nav>
  );
}

function PageLink({ page, enabled, query, rel, children }: { page: number; enabled: boolean; query: JobListQuery; rel: string; children: React.ReactNode }) {
  if (!enabled) {
    return (
      <span className="button secondary small" aria-disabled="true">
        {children}
      </span>
    );
  }
  return (
    <Link href={listHref(query, { page })} rel={rel} className="button secondary small">
      {children}
    </Link>
  );
}
