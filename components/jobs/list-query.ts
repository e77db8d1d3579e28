// The jobs list's URL search params: read leniently (a bad value is dropped and reported, not a
// crash), and written back for links that keep the current filters.
import { EXECUTION_STATUSES, JobListQuery } from "@/lib/jobs/schemas";

export const FILTER_KEYS = ["query", "type", "enabled", "health", "lastStatus"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
const KNOWN_KEYS = [...FILTER_KEYS, "page", "pageSize"] as const;
export const DEFAULT_PAGE_SIZE = 25;

type RawParams = Record<string, string | string[] | undefined>;

export function parseListQuery(raw: RawParams): { query: JobListQuery; ignored: string[] } {
  const picked: Record<string, string> = { pageSize: String(DEFAULT_PAGE_SIZE) };
  for (const key of KNOWN_KEYS) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (value !== undefined && value.trim() !== "") picked[key] = value;
  }
  const ignored: string[] = [];
  for (;;) {
    const parsed = JobListQuery.safeParse(picked);
    if (parsed.success) return { query: parsed.data, ignored };
    const bad = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))].filter((key) => key in picked && !ignored.includes(`${key}=${picked[key]}`));
    if (bad.length === 0) throw parsed.error;
    for (const key of bad) {
      ignored.push(`${key}=${picked[key]}`);
      if (key === "pageSize") picked.pageSize = String(DEFAULT_PAGE_SIZE);
      else delete picked[key];
    }
  }
}

export const hasFilters = (query: Partial<Record<FilterKey, unknown>>) => FILTER_KEYS.some((key) => query[key] !== undefined && query[key] !== "");

/** "/jobs?type=demo.sleep&page=2": the current filters with some values replaced. */
export function listHref(query: JobListQuery, changes: Partial<Record<FilterKey | "page", string | number | undefined>> = {}): string {
  const values: Record<string, unknown> = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of KNOWN_KEYS) {
    const value = values[key];
    if (value === undefined || value === "") continue;
    if (key === "page" && value === 1) continue;
    if (key === "pageSize" && value === DEFAULT_PAGE_SIZE) continue;
    params.set(key, String(value));
  }
  return params.size > 0 ? `/jobs?${params}` : "/jobs";
}

export const STATUS_FILTERS = EXECUTION_STATUSES;
