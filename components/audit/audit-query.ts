// The audit page's URL search params, read with the API's AuditQuery schema: leniently (a bad
// value is dropped and reported, not a crash), and written back for links that keep the filters.
import { AuditQuery } from "@/lib/audit/schemas";

export const AUDIT_FILTER_KEYS = ["actor", "action", "targetId"] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
const KNOWN_KEYS = [...AUDIT_FILTER_KEYS, "page", "pageSize"] as const;
export const AUDIT_PAGE_SIZE = 25;

type RawParams = Record<string, string | string[] | undefined>;

export function parseAuditQuery(raw: RawParams): { query: AuditQuery; ignored: string[] } {
  const picked: Record<string, string> = {};
  for (const key of KNOWN_KEYS) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (value !== undefined && value.trim() !== "") picked[key] = value.trim();
  }
  picked.pageSize ??= String(AUDIT_PAGE_SIZE);
  const ignored: string[] = [];
  for (const key of KNOWN_KEYS) {
    if (!(key in picked) || AuditQuery.shape[key].safeParse(picked[key]).success) continue;
    ignored.push(`${key}=${picked[key]}`);
    delete picked[key];
  }
  picked.pageSize ??= String(AUDIT_PAGE_SIZE);
  return { query: AuditQuery.parse(picked), ignored };
}

export const hasAuditFilters = (query: AuditQuery) => AUDIT_FILTER_KEYS.some((key) => Boolean(query[key]));

/** "/audit?actor=ops%40example.com&page=2": the current filters with some values replaced. */
export function auditHref(query: AuditQuery, changes: Partial<Record<AuditFilterKey | "page", string | number | undefined>> = {}): string {
  const values: Record<string, unknown> = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of KNOWN_KEYS) {
    const value = values[key];
    if (value === undefined || value === "") continue;
    if (key === "page" && value === 1) continue;
    if (key === "pageSize" && value === AUDIT_PAGE_SIZE) continue;
    params.set(key, String(value));
  }
  return params.size > 0 ? `/audit?${params}` : "/audit";
}
