// Links that open the execution details modal: the current page with `execution=<id>` added to
// its search params (the others kept), so a run can be bookmarked and shared.

export const EXECUTION_PARAM = "execution";
/** A toast with a "View" button stays longer than sonner's 4 s, so there is time to press it. */
export const TOAST_WITH_ACTION_MS = 10_000;

type Search = URLSearchParams | string | Record<string, string | string[] | undefined>;

/** `pathname?…&execution=<id>`; `id` null removes the param (closing the modal). */
export function executionHref(pathname: string, search: Search, id: string | null): string {
  const params = toParams(search);
  if (id) params.set(EXECUTION_PARAM, id);
  else params.delete(EXECUTION_PARAM);
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** Search params in any of the forms pages get them (all values of a repeated param kept). */
export function toParams(search: Search): URLSearchParams {
  if (typeof search === "string" || search instanceof URLSearchParams) return new URLSearchParams(search);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, item);
  }
  return params;
}

/** In the browser: opens (or, with null, closes) the details modal of this page. Next.js keeps useSearchParams in step with the History API. */
export function showExecution(id: string | null, mode: "push" | "replace" = "push"): void {
  const href = executionHref(window.location.pathname, window.location.search, id);
  if (mode === "push") window.history.pushState(null, "", href);
  else window.history.replaceState(null, "", href);
}
