"use client";
// The history's filters (job, status, trigger), kept in the URL; a change goes back to page 1.
// A plain GET form underneath, so it works before hydration too.
import { useOptimistic, useTransition } from "react";
import { useRouter, useSearchParams } from "next/navigation";
import { ExecutionSchema } from "@/lib/executions/schemas";
import { EXECUTION_STATUSES } from "@/lib/jobs/schemas";
import { runsHref } from "./run-href";
import { shortId } from "@/components/ui/short-id";
import { FilterActions } from "@/components/ui/filter-actions";
import { FilterSelect } from "@/components/ui/filter-select";

const KEYS = ["job", "status", "trigger"] as const;
type Key = (typeof KEYS)[number];
type Filters = Record<Key, string>;

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
const STATUS_OPTIONS: [string, string][] = [["", "Any status"], ...EXECUTION_STATUSES.map((status): [string, string] => [status, capitalize(status)])];
const TRIGGER_OPTIONS: [string, string][] = [["", "Any trigger"], ...ExecutionSchema.shape.trigger.options.map((trigger): [string, string] => [trigger, capitalize(trigger)])];

export interface JobOption {
  id: string;
  name: string;
}

export function RunFilters({ jobs }: { jobs: JobOption[] }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const fromUrl = Object.fromEntries(KEYS.map((key) => [key, searchParams.get(key) ?? ""])) as Filters;
  const [filters, showFilters] = useOptimistic(fromUrl);
  const [pending, startTransition] = useTransition();

  function apply(key: Key, value: string) {
    // The filters as shown (a change still loading included), so two quick changes both stick.
    const href = runsHref(new URLSearchParams(window.location.search), { ...filters, [key]: value, page: undefined, execution: undefined });
    startTransition(() => {
      showFilters({ ...filters, [key]: value });
      router.push(href, { scroll: false });
    });
  }

  const jobOptions: [string, string][] = [["", "All jobs"], ...jobs.map((job): [string, string] => [job.id, job.name])];
  if (filters.job && !jobs.some((job) => job.id === filters.job)) jobOptions.push([filters.job, `Job ${shortId(filters.job)}`]);
  const active = KEYS.some((key) => filters[key]);

  return (
    <form role="search" aria-label="Run history" action="/runs" method="get" className="filters" aria-busy={pending || undefined} onSubmit={(event) => event.preventDefault()}>
      <FilterSelect id="runs-filter-job" name="job" label="Job" value={filters.job} options={jobOptions} onChange={(value) => apply("job", value)} />
      <FilterSelect id="runs-filter-status" name="status" label="Status" value={filters.status} options={STATUS_OPTIONS} onChange={(value) => apply("status", value)} />
      <FilterSelect id="runs-filter-trigger" name="trigger" label="Trigger" value={filters.trigger} options={TRIGGER_OPTIONS} onChange={(value) => apply("trigger", value)} />
      <FilterActions active={active} pending={pending} clearHref="/runs">
        <noscript>
          <button type="submit" className="button secondary small">
            Filter
          </button>
        </noscript>
      </FilterActions>
    </form>
  );
}
