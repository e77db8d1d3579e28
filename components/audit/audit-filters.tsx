"use client";
// The audit page's filters, kept in the URL. Selects apply at once; the actor and target id
// fields apply on Enter or "Apply". A job picked in "Target job" and a pasted id are the same
// filter (targetId), so the two controls always agree.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AUDIT_ACTIONS } from "@/lib/audit/schemas";
import { FilterActions } from "@/components/ui/filter-actions";
import { FilterSelect } from "@/components/ui/filter-select";
import { AUDIT_FILTER_KEYS, type AuditFilterKey } from "./audit-query";

const ACTION_OPTIONS: [string, string][] = [["", "Any action"], ...AUDIT_ACTIONS.map((action): [string, string] => [action, action])];

type Filters = Record<AuditFilterKey, string>;

interface AuditFiltersProps {
  current: Filters;
  /** Suggestions for the actor field. */
  actors: string[];
  /** Jobs to pick a target from: [id, name]. */
  jobs: [string, string][];
}

export function AuditFilters({ current, actors, jobs }: AuditFiltersProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [draft, setDraft] = useState(current);
  // Follow the URL (back button, "Clear filters", a target link): reset the draft while rendering
  // when the URL's filters change, rather than remounting, which would drop the focus.
  const [shown, setShown] = useState(current);
  if (AUDIT_FILTER_KEYS.some((key) => shown[key] !== current[key])) {
    setShown(current);
    setDraft(current);
  }

  function apply(changes: Partial<Filters>) {
    const next = { ...draft, ...changes };
    setDraft(next);
    const params = new URLSearchParams();
    for (const key of AUDIT_FILTER_KEYS) if (next[key].trim()) params.set(key, next[key].trim());
    startTransition(() => router.push(params.size > 0 ? `/audit?${params}` : "/audit", { scroll: false }));
  }

  const listedJob = jobs.some(([id]) => id === draft.targetId);
  const active = AUDIT_FILTER_KEYS.some((key) => current[key]);
  return (
    <form
      role="search"
      aria-label="Audit events"
      action="/audit"
      method="get"
      className="filters audit-filters"
      aria-busy={pending || undefined}
      onSubmit={(event) => {
        event.preventDefault();
        apply({});
      }}
    >
      <div className="filter filter-search">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" name="actor" list="audit-actors" value={draft.actor} onChange={(event) => setDraft({ ...draft, actor: event.target.value })} autoComplete="off" placeholder="Email or token name" />
        <datalist id="audit-actors">
          {actors.map((actor) => (
            <option key={actor} value={actor} />
          ))}
        </datalist>
      </div>
      <FilterSelect id="audit-action" name="action" label="Action" value={draft.action} options={ACTION_OPTIONS} onChange={(action) => apply({ action })} />
      <div className="filter">
        <label htmlFor="audit-job">Target job</label>
        <select id="audit-job" value={listedJob ? draft.targetId : draft.targetId ? "other" : ""} onChange={(event) => apply({ targetId: event.target.value === "other" ? draft.targetId : event.target.value })}>
          <option value="">Any target</option>
          {draft.targetId && !listedJob ? <option value="other">The id below</option> : null}
          {jobs.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter filter-search">
        <label htmlFor="audit-target">Target id</label>
        <input id="audit-target" name="targetId" value={draft.targetId} onChange={(event) => setDraft({ ...draft, targetId: event.target.value })} autoComplete="off" spellCheck={false} placeholder="A job, execution, user or token id" className="mono" />
      </div>
      <FilterActions active={active} pending={pending} clearHref="/audit">
        <button type="submit" className="button secondary small">
          Apply
        </button>
      </FilterActions>
    </form>
  );
}
