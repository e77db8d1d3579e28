// The runs history's URL search params (job, status, trigger, page), read leniently with the
// API's own query schema: a bad value is dropped and reported, never a crash.
import { ExecutionListQuery } from "@/lib/executions/list";
import type { z } from "zod";

export const RUNS_PAGE_SIZE = 50;

export type RunsQuery = Pick<ExecutionListQuery, "jobId" | "status" | "trigger" | "page" | "pageSize">;
type RawParams = Record<string, string | string[] | undefined>;

const first = (raw: RawParams, key: string) => {
  const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
};

export function parseRunsQuery(raw: RawParams): { query: RunsQuery; ignored: string[] } {
  const ignored: string[] = [];
  const read = <S extends z.ZodType>(param: string, schema: S): z.output<S> | undefined => {
    const value = first(raw, param);
    if (value === undefined) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    ignored.push(`${param}=${value}`);
    return undefined;
  };
  const { shape } = ExecutionListQuery;
  const query: RunsQuery = {
    jobId: read("job", shape.jobId),
    status: read("status", shape.status),
    trigger: read("trigger", shape.trigger),
    page: read("page", shape.page) ?? 1,
    pageSize: RUNS_PAGE_SIZE,
  };
  return { query, ignored };
}

export const hasRunFilters = (query: RunsQuery) => Boolean(query.jobId || query.status || query.trigger);

/** The search params as the page got them, for links that keep them. */
export function toSearchParams(raw: RawParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) {
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined) params.set(key, single);
  }
  return params;
}
