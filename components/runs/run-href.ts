// Links within /runs that keep the current search params: a run's details (`?execution=<id>`,
// which opens the details dialog) and the history's pages and filters.
import { EXECUTION_PARAM, executionHref } from "@/components/executions/execution-href";

export type ParamChanges = Record<string, string | number | undefined>;

export function runsHref(current: URLSearchParams, changes: ParamChanges): string {
  const params = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === "" || (key === "page" && Number(value) === 1)) params.delete(key);
    else params.set(key, String(value));
  }
  return params.size > 0 ? `/runs?${params}` : "/runs";
}

export const runDetailsHref = (current: URLSearchParams, id: string) => executionHref("/runs", current, id);

/** Another page of the history: the filters stay, an open run's details do not. */
export const historyPageHref = (current: URLSearchParams, page: number) => runsHref(current, { page, [EXECUTION_PARAM]: undefined });
