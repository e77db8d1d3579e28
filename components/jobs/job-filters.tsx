"use client";
// Search and filters, kept in the URL so a filtered list can be shared and survives a reload.
// It lives in the jobs layout, so it stays mounted (and keeps focus) while the list reloads.
import { useEffect, useOptimistic, useRef, useState, useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { FILTER_KEYS, STATUS_FILTERS, type FilterKey } from "./list-query";
import { FilterActions } from "@/components/ui/filter-actions";
import { FilterSelect } from "@/components/ui/filter-select";

type Filters = Record<FilterKey, string>;

const SEARCH_DELAY_MS = 350;

function readFilters(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ""])) as Filters;
}

export function JobFilters({ types }: { types: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const fromUrl = readFilters(searchParams);
  const [filters, showFilters] = useOptimistic(fromUrl);
  const [pending, startTransition] = useTransition();
  const [search, setSearch] = useState(fromUrl.query);
  const searchRef = useRef<HTMLInputElement>(null);

  // Follow the URL (back button, "Clear filters"), but never overwrite what someone is typing.
  useEffect(() => {
    if (document.activeElement !== searchRef.current) setSearch(fromUrl.query);
  }, [fromUrl.query]);

  function apply(changes: Partial<Filters>, { replace = false } = {}) {
    // The live URL, not the one this render saw: a debounced search may run after another change.
    const current = new URLSearchParams(window.location.search);
    const next = { ...readFilters(current), ...changes };
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (next[key]) params.set(key, next[key]);
    const pageSize = current.get("pageSize");
    if (pageSize) params.set("pageSize", pageSize);
    const href = params.size > 0 ? `${pathname}?${params}` : pathname;
    startTransition(() => {
      showFilters(next);
      if (replace) router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    });
  }

  useEffect(() => {
    if (search.trim() === fromUrl.query) return;
    const timer = setTimeout(() => apply({ query: search.trim() }, { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // Debounced on what is typed; apply reads the rest of the URL when it runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const active = FILTER_KEYS.some((key) => filters[key]);
  return (
    <form
      role="search"
      aria-label="Jobs"
      action="/jobs"
      method="get"
      className="filters"
      aria-busy={pending || undefined}
      onSubmit={(event) => {
        event.preventDefault();
        apply({ query: search.trim() });
      }}
    >
      <div className="filter filter-search">
        <label htmlFor="job-search">Search by name</label>
        <input id="job-search" ref={searchRef} type="search" name="query" value={search} onChange={(event) => setSearch(event.target.value)} autoComplete="off" />
      </div>
      <FilterSelect id="filter-type" name="type" label="Type" value={filters.type} onChange={(type) => apply({ type })} options={[["", "Any type"], ...types.map((type) => [type, type] as [string, string])]} />
      <FilterSelect
        id="filter-enabled"
        name="enabled"
        label="Enabled"
        value={filters.enabled}
        onChange={(enabled) => apply({ enabled })}
        options={[["", "Any"], ["true", "Enabled"], ["false", "Disabled"]]}
      />
      <FilterSelect
        id="filter-health"
        name="health"
        label="Health"
        value={filters.health}
        onChange={(health) => apply({ health })}
        options={[["", "Any"], ["active", "Active"], ["failed", "Failed"]]}
      />
      <FilterSelect
        id="filter-last-status"
        name="lastStatus"
        label="Last status"
        value={filters.lastStatus}
        onChange={(lastStatus) => apply({ lastStatus })}
        options={[["", "Any"], ...STATUS_FILTERS.map((status) => [status, status.charAt(0) + status.slice(1).toLowerCase()] as [string, string])]}
      />
      <FilterActions active={active} pending={pending} clearHref={pathname}>
        <button type="submit" className="button secondary small">
          Search
        </button>
      </FilterActions>
    </form>
  );
}
