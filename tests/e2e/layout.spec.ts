// Every console page at a desktop and a phone width: nothing wider than the window (tables scroll
// inside their own wrapper), the navigation and the signed-in user stay on screen.
import { expect, test, type Page } from "@playwright/test";
import { createJobViaApi, demoSleepJob, expectNoSideScroll, runNowViaApi, signIn, uniqueName } from "./support/console";

const WIDTHS = [1280, 390];

test("each page fits the window at 1280 and 390 px", async ({ page }) => {
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Layout")));
  const pages = ["/jobs", `/jobs/${job.id}`, "/runs", "/audit", "/settings"];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByTestId("current-user")).toBeInViewport();
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toBeInViewport();
      await expectNoSideScroll(page, `${path} at ${width} px is wider than the window`);
    }
  }
});

test("the jobs list and the run history come with the page's HTML, not after a loading skeleton", async ({ page }) => {
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("In the HTML"), { params: { durationMs: 0, steps: 1 }, schedule: { type: "manual" } }));
  const run = await runNowViaApi(page.request, job.id);
  // React shows a streamed boundary no sooner than 300 ms after its fallback was painted: the
  // tables must be in the document as the server sends it, with no boundary still pending.
  for (const [path, row] of [
    [`/jobs?query=${encodeURIComponent(job.name)}`, `data-job-id="${job.id}"`],
    [`/runs?job=${job.id}`, `data-execution-id="${run}"`],
  ]) {
    const html = await (await page.request.get(path)).text();
    expect(html, path).toContain(row);
    expect(html, path).not.toContain("<!--$?-->");
    expect(html, path).not.toContain('aria-label="Loading');
  }
});

/** The paths Next.js prefetches while the page shows `on` (not the page signing in left behind). */
function prefetchesOn(page: Page, on: string): string[] {
  const prefetched: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["next-router-prefetch"] && new URL(request.frame().url()).pathname === on) prefetched.push(new URL(request.url()).pathname);
  });
  return prefetched;
}

test("the top bar's sections are prefetched when pointed at, not at every refresh of a live page", async ({ page }) => {
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Prefetch"), { params: { durationMs: 0, steps: 1 }, schedule: { type: "manual" } }));
  // Seen in a full run: the jobs page signing in landed on was still prefetching its rows' links.
  const prefetched = prefetchesOn(page, "/runs");
  await page.goto("/runs");
  await expect(page.getByTestId("active-count")).toBeVisible();
  // A run queued and finished: the page's server parts refresh (the history shows it).
  const refreshed = page.waitForResponse((response) => {
    const request = response.request();
    return new URL(request.url()).pathname === "/runs" && request.headers()["rsc"] === "1" && !request.headers()["next-router-prefetch"];
  });
  const run = await runNowViaApi(page.request, job.id);
  await refreshed;
  await expect(page.getByTestId("history-table").locator(`[data-execution-id="${run}"]`)).toBeVisible();
  expect(prefetched, "sections prefetched without being pointed at").toEqual([]);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).hover();
  await expect.poll(() => prefetched).toContain("/audit");
  expect(prefetched).not.toContain("/jobs");
});

test("the jobs list's rows are prefetched when pointed at, not when shown or when a run refreshes the list", async ({ page }) => {
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Row prefetch"), { params: { durationMs: 0, steps: 1 }, schedule: { type: "manual" } }));
  const prefetched = prefetchesOn(page, "/jobs");
  await page.goto(`/jobs?query=${encodeURIComponent(job.name)}`);
  const link = page.getByRole("table", { name: "Jobs" }).getByRole("link", { name: job.name });
  await expect(link).toBeVisible();
  // A run of the job: the list refreshes its server part on the event (its last run shows).
  const refreshed = page.waitForResponse((response) => {
    const request = response.request();
    return new URL(request.url()).pathname === "/jobs" && request.headers()["rsc"] === "1" && !request.headers()["next-router-prefetch"];
  });
  await runNowViaApi(page.request, job.id);
  await refreshed;
  expect(prefetched, "rows prefetched without being pointed at").toEqual([]);
  await link.hover();
  await expect.poll(() => prefetched).toContain(`/jobs/${job.id}`);
});
