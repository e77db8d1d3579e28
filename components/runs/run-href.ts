// Links within /runs that keep the current search params: a run's details (`?execution=<id>`,
// which opens the details dialog) and the history's pages and filters.
import { EXECUTION_PARAM, executionHref } from "@/components/executions/execution-href";
import { hrefWith } from "@/components/ui/url-query";

export const runsHref = (current: URLSearchParams, changes: Record<string, string | number | undefined>): string => hrefWith("/runs", current, changes);

export const runDetailsHref = (current: URLSearchParams, id: string) => executionHref("/runs", current, id);

/** Another page of the history: the filters stay, an open run's details do not. */
export const historyPageHref = (current: URLSearchParams, page: number) => runsHref(current, { page, [EXECUTION_PARAM]: undefined });
