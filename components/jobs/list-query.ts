// The jobs list's URL search params: read leniently (a bad value is dropped and reported, not a
// crash), and written back for links that keep the current filters.
import { EXECUTION_STATUSES, JobListQuery } from "@/lib/jobs/schemas";
import { hrefWith, parseLenient, type RawParams } from "@/components/ui/url-query";

export const FILTER_KEYS = ["query", "type", "enabled", "health", "lastStatus"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
const KNOWN_KEYS = [...FILTER_KEYS, "page", "pageSize"] as const;
export const DEFAULT_PAGE_SIZE = 25;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

export const parseListQuery = (raw: RawParams): { query: JobListQuery; ignored: string[] } => parseLenient(raw, JobListQuery, KNOWN_KEYS, DEFAULTS);

export const hasFilters = (query: Partial<Record<FilterKey, unknown>>) => FILTER_KEYS.some((key) => query[key] !== undefined && query[key] !== "");

/** "/jobs?type=demo.sleep&page=2": the current filters with some values replaced. */
export const listHref = (query: JobListQuery, changes: Partial<Record<FilterKey | "page", string | number | undefined>> = {}): string =>
  hrefWith("/jobs", query, changes, { defaults: DEFAULTS, keys: KNOWN_KEYS });

export const STATUS_FILTERS = EXECUTION_STATUSES;
