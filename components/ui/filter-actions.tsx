// The end of a filter bar: its buttons, "Clear filters" while any filter is set, and a polite
// "Loading…" while a change is on its way.
import type { ReactNode } from "react";
import { IntentLink } from "./intent-link";

export function FilterActions({ active, pending, clearHref, children }: { active: boolean; pending: boolean; clearHref: string; children?: ReactNode }) {
  return (
    <div className="filter filter-actions">
      {children}
      {active ? (
        <IntentLink href={clearHref} scroll={false} className="clear-filters">
          Clear filters
        </IntentLink>
      ) : null}
      <span className="filter-status" aria-live="polite">
        {pending ? "Loading…" : ""}
      </span>
    </div>
  );
}
