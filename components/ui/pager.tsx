// Previous / next through a paged list, with "Showing 26-50 of 112 · page 2 of 5". The caller
// builds the links, so filters in the URL are kept. Every list in the console uses this one.
// No aria-live here: lists refresh on their own (live runs), and the range is not news then.
import { IntentLink } from "./intent-link";

interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  /** The count stopped at `total` ("10,000+"): there may be more pages than it says. */
  totalCapped?: boolean;
  /** Items on this page; needed to know whether a capped list has a next page. */
  shown?: number;
  href: (page: number) => string;
  /** What the list holds, for the navigation's name: "Audit events". */
  label: string;
  /** false: stay where the reader is (lists under a fixed header). */
  scroll?: boolean;
  /** Render nothing when everything fits on the first page. */
  hideSinglePage?: boolean;
}

export function Pager({ page, pageSize, total, totalCapped = false, shown, href, label, scroll, hideSinglePage = false }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (hideSinglePage && pages <= 1 && page === 1) return null;
  const first = (page - 1) * pageSize + 1;
  const last = shown === undefined ? Math.min(total, page * pageSize) : first + shown - 1;
  const hasNext = totalCapped ? (shown ?? 0) === pageSize : page < pages;
  return (
    <nav aria-label={`${label} pages`} className="pagination">
      <PageLink href={page > 1 ? href(page - 1) : null} rel="prev" scroll={scroll}>
        ← Previous
      </PageLink>
      <span className="muted" data-testid="pager-status">
        <span data-testid="pager-range">{rangeText({ page, first, last, total, totalCapped })}</span>
        {pages > 1 && !totalCapped && first <= last ? ` · page ${page} of ${pages}` : ""}
      </span>
      <PageLink href={hasNext ? href(page + 1) : null} rel="next" scroll={scroll}>
        Next →
      </PageLink>
    </nav>
  );
}

/** "Showing 1-50 of 1,234": the one range format of every list. */
function rangeText({ page, first, last, total, totalCapped }: { page: number; first: number; last: number; total: number; totalCapped: boolean }): string {
  const all = `${total.toLocaleString("en-US")}${totalCapped ? "+" : ""}`;
  if (total === 0) return "Nothing to show";
  if (first > last) return `Page ${page} is past the end (${all} in all)`;
  return `Showing ${first}-${last} of ${all}`;
}

function PageLink({ href, rel, scroll, children }: { href: string | null; rel: string; scroll?: boolean; children: React.ReactNode }) {
  if (!href) {
    return (
      <span className="button secondary small" aria-disabled="true">
        {children}
      </span>
    );
  }
  return (
    <IntentLink href={href} rel={rel} scroll={scroll} className="button secondary small">
      {children}
    </IntentLink>
  );
}
