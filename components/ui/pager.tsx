// Previous / next through a paged list, with "Showing 26–50 of 112". The caller builds the links,
// so filters in the URL are kept.
import Link from "next/link";

interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  /** What the list holds, for the navigation's name: "Audit events". */
  label: string;
}

export function Pager({ page, pageSize, total, href, label }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label={`${label} pages`} className="pagination">
      <PageLink href={page > 1 ? href(page - 1) : null} rel="prev">
        ← Previous
      </PageLink>
      <span className="muted" data-testid="pager-status">
        {total === 0 ? "Nothing to show" : first <= last ? `Showing ${first}–${last} of ${total}` : `Page ${page} is past the end (${total} in all)`}
        {pages > 1 ? ` · page ${Math.min(page, pages)} of ${pages}` : ""}
      </span>
      <PageLink href={page < pages ? href(page + 1) : null} rel="next">
        Next →
      </PageLink>
    </nav>
  );
}

function PageLink({ href, rel, children }: { href: string | null; rel: string; children: React.ReactNode }) {
  if (!href) {
    return (
      <span className="button secondary small" aria-disabled="true">
        {children}
      </span>
    );
  }
  return (
    <Link href={href} rel={rel} className="button secondary small">
      {children}
    </Link>
  );
}
