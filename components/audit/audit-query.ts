// The audit page's URL search params, read with the API's AuditQuery schema: leniently (a bad
// value is dropped and reported, not a crash), and written back for links that keep the filters.
import { AuditQuery } from "@/lib/audit/schemas";
import { hrefWith, parseLenient, type RawParams } from "@/components/ui/url-query";

export const AUDIT_FILTER_KEYS = ["actor", "action", "targetId"] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
const KNOWN_KEYS = [...AUDIT_FILTER_KEYS, "page", "pageSize"] as const;
export const AUDIT_PAGE_SIZE = 25;
const DEFAULTS = { page: 1, pageSize: AUDIT_PAGE_SIZE };

export const parseAuditQuery = (raw: RawParams): { query: AuditQuery; ignored: string[] } => parseLenient(raw, AuditQuery, KNOWN_KEYS, DEFAULTS);

export const hasAuditFilters = (query: AuditQuery) => AUDIT_FILTER_KEYS.some((key) => Boolean(query[key]));

/** "/audit?actor=ops%40example.com&page=2": the current filters with some values replaced. */
export const auditHref = (query: AuditQuery, changes: Partial<Record<AuditFilterKey | "page", string | number | undefined>> = {}): string =>
  hrefWith("/audit", query, changes, { defaults: DEFAULTS, keys: KNOWN_KEYS });
