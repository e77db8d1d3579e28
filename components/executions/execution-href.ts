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

/** Mounted <ExecutionDetails /> components: a page without one sends "View" to the Runs page. */
let detailsHosts = 0;
/** History entries this page pushed while the modal was open, so closing it can step back over them. */
let pushedEntries = 0;

const forgetPush = () => (pushedEntries = Math.max(0, pushedEntries - 1));

export function registerDetailsHost(): () => void {
  if (detailsHosts++ === 0) window.addEventListener("popstate", forgetPush);
  return () => {
    if (--detailsHosts === 0) {
      window.removeEventListener("popstate", forgetPush);
      pushedEntries = 0;
    }
  };
}

/** In the browser: opens an execution's details on this page. Next.js keeps useSearchParams in step with the History API. */
export function showExecution(id: string): void {
  if (detailsHosts === 0) {
    window.location.assign(executionHref("/runs", "", id));
    return;
  }
  pushExecutionHref(executionHref(window.location.pathname, window.location.search, id));
}

export function pushExecutionHref(href: string): void {
  window.history.pushState(null, "", href);
  pushedEntries += 1;
}

/**
 * Closes the details: back to the entry before the modal opened when this page opened it (so Back
 * does not reopen it), or the same address without the param for a link that came in with one.
 */
export function closeExecution(): void {
  if (pushedEntries > 0) {
    // A modal that came in by a link with the param is still open there: drop it after the step.
    window.addEventListener("popstate", dropExecutionParam, { once: true });
    window.history.go(-pushedEntries);
    pushedEntries = 0;
    return;
  }
  dropExecutionParam();
}

function dropExecutionParam(): void {
  if (!new URLSearchParams(window.location.search).has(EXECUTION_PARAM)) return;
  window.history.replaceState(null, "", executionHref(window.location.pathname, window.location.search, null));
}
