// The runs history's URL search params (job, status, trigger, page), read leniently with the
// API's own query schema: a bad value is dropped and reported, never a crash.
import { ExecutionListQuery } from "@/lib/executions/list";
import { parseLenient, type RawParams } from "@/components/ui/url-query";

export const RUNS_PAGE_SIZE = 50;

export type RunsQuery = Pick<ExecutionListQuery, "jobId" | "status" | "trigger" | "page" | "pageSize">;

/** `job` in the URL is the API's `jobId`; the page size is the console's own. */
export const parseRunsQuery = (raw: RawParams): { query: RunsQuery; ignored: string[] } =>
  parseLenient(raw, ExecutionListQuery, { job: "jobId", status: "status", trigger: "trigger", page: "page" }, { pageSize: RUNS_PAGE_SIZE });

export const hasRunFilters = (query: RunsQuery) => Boolean(query.jobId || query.status || query.trigger);
