// The runs page (Job Manager) through the real server: a run watched to success, a cancel that
// shows "Stopping..." then "Cancelled" (and reverts when the request fails), the history's
// filters and pages, the disconnect banner, stalled cleanup and the viewer's read-only view.
// Each checks the screen against the API or the database.
import { expect, request, test, type Locator, type Page } from "@playwright/test";
import { startBreakableProxy } from "./support/breakable-proxy";
import { sql } from "./support/db";
import { SAME_ORIGIN, createJobViaApi, createUserWithCli, delayServerActions, demoSleepJob, expectNoSideScroll, runNowViaApi, signIn, toast, uniqueName } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

async function executionStatus(id: string): Promise<string> {
  const [row] = await sql<{ status: string }>("SELECT status::text AS status FROM executions WHERE id = $1", [id]);
  return row?.status;
}

/** Opens /runs and waits until the monitor has its first snapshot. */
async function openRuns(page: Page, path = "/runs"): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  await expect(page.getByTestId("active-loading")).toHaveCount(0);
}

const activeRun = (page: Page, id: string): Locator => page.locator(`[data-testid="active-run"][data-execution-id="${id}"]`);
const historyRow = (page: Page, id: string): Locator => page.getByTestId("history-table").locator(`tr[data-execution-id="${id}"]`);

test("a run started now shows its progress in the monitor, then Succeeded, and lands in the history", async ({ page }) => {
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Watched"), { params: { durationMs: 4000, steps: 4 }, schedule: { type: "manual" } }));
  await openRuns(page);

  const id = await runNowViaApi(page.request, job.id);

  const card = activeRun(page, id);
  await expect(card).toContainText(job.name);
  await expect(card.getByTestId("run-progress-text")).toHaveText(/^(25|50|75)% · Step [123]\/4$/);
  await expect(card.getByRole("progressbar")).toHaveAttribute("value", /^(25|50|75|100)$/);
  await expect(card).toContainText(/started \d+ s ago/);
  await expect(card.getByTestId("run-status")).toContainText("Succeeded");
  await expect(card.getByRole("link", { name: `Details of run ${id.slice(0, 8)}` })).toHaveAttribute("href", `/runs?execution=${id}`);
  expect(await executionStatus(id)).toBe("SUCCEEDED");

  // The history refreshes itself when the run finishes, and the outcome leaves the monitor after a while.
  await expect(historyRow(page, id)).toContainText("Succeeded");
  await expect(card).toHaveCount(0);
  const api = await page.request.get(`/api/executions?jobId=${job.id}`);
  expect((await api.json()).items.map((run: { id: string; status: string }) => [run.id, run.status])).toEqual([[id, "SUCCEEDED"]]);

  // The figures say how old they are, and Refresh brings them up to date with the API's.
  const updated = page.getByTestId("stats-updated");
  await expect(updated).toHaveText(/^Updated [1-9]\d* s ago$/);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(updated).toHaveText(/^Updated [01] s ago$/);
  const stats = await (await page.request.get("/api/stats")).json();
  await expect(page.getByTestId("stat-succeeded")).toHaveText(String(stats.last24h.succeeded));
});

test("cancel turns into a disabled Stopping... at once, reverts on failure, and ends Cancelled", async ({ page }) => {
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Long sleep"), { params: { durationMs: 120_000, steps: 120 }, schedule: { type: "manual" } }));
  await openRuns(page);
  const id = await runNowViaApi(page.request, job.id);
  const card = activeRun(page, id);
  await expect(card.getByTestId("run-status")).toContainText("Running");
  const label = `run ${id.slice(0, 8)} of ${job.name}`;

  // The request fails: the button comes back and a toast says why; nothing changed on the server.
  await page.route("**/runs*", (route) => (route.request().headers()["next-action"] ? route.abort() : route.continue()));
  await card.getByRole("button", { name: `Cancel ${label}` }).click();
  await expect(toast(page, `Could not cancel ${label.replace(` of ${job.name}`, ` of "${job.name}"`)}`)).toBeVisible();
  await expect(card.getByRole("button", { name: `Cancel ${label}` })).toBeVisible();
  const [untouched] = await sql<{ status: string; cancel_requested_at: Date | null }>("SELECT status::text AS status, cancel_requested_at FROM executions WHERE id = $1", [id]);
  expect(untouched).toEqual({ status: "RUNNING", cancel_requested_at: null });
  await page.unroute("**/runs*");

  // Held back a moment, so the in-between state can be seen before the server answers.
  await delayServerActions(page, 1000, "**/runs*");
  await card.getByRole("button", { name: `Cancel ${label}` }).click();
  const stopping = card.getByRole("button", { name: `Stopping... ${label}` });
  await expect(stopping).toBeVisible();
  await expect(stopping).toBeDisabled();
  await expect(stopping).toHaveAttribute("aria-busy", "true");
  await expect(card.getByTestId("run-status")).toContainText("Cancelled");
  // The button stays (disabled) while the card lingers, so the keyboard focus has somewhere to be.
  const cancelled = card.getByRole("button", { name: `Cancelled ${label}` });
  await expect(cancelled).toBeDisabled();
  await expect(card.getByRole("button")).toHaveCount(1);

  const [stored] = await sql<{ status: string; cancel_requested_by: string; error_code: string }>(
    "SELECT status::text AS status, cancel_requested_by, error_code FROM executions WHERE id = $1",
    [id],
  );
  expect(stored).toEqual({ status: "CANCELLED", cancel_requested_by: ADMIN.email, error_code: "CANCELLED" });
  const audit = await sql<{ actor: string }>("SELECT actor FROM audit_events WHERE action = 'execution.cancel' AND target_id = $1", [id]);
  expect(audit).toEqual([{ actor: ADMIN.email }]);
  await expect(historyRow(page, id)).toContainText("Cancelled");
});

test("the details of an active run follow it live through the page's one event stream", async ({ page }) => {
  const streams: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/events") streams.push(request.url());
  });
  await signIn(page);
  // signIn returns when the jobs page's heading shows, which the server renders; that page opens
  // its own stream only once it has hydrated, which on a busy machine comes later. Counting from
  // here would then count the jobs page's stream as well as the runs page's: wait for it first.
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Watched in details"), { params: { durationMs: 6000, steps: 6 }, schedule: { type: "manual" } }));
  streams.length = 0;
  await openRuns(page);
  const id = await runNowViaApi(page.request, job.id);
  const card = activeRun(page, id);
  await expect(card.getByTestId("run-status")).toContainText("Running");

  await card.getByRole("link", { name: `Details of run ${id.slice(0, 8)}` }).click();
  const dialog = page.getByRole("dialog", { name: `Run of "${job.name}"` });
  await expect(dialog.getByTestId("execution-id")).toHaveText(id);
  await expect(dialog.getByTestId("execution-progress")).toContainText(/[1-9]\d*% · Step \d\/6/);
  // Progress moves on in the open modal, then the run ends there with its result.
  const first = (await dialog.getByTestId("execution-progress").textContent()) ?? "";
  await expect(dialog.getByTestId("execution-progress")).not.toHaveText(first);
  await expect(dialog.getByTestId("execution-status")).toHaveText(/Succeeded/, { timeout: 20_000 });
  await expect(dialog.getByTestId("execution-result")).toContainText('"sleptMs"');
  expect(await executionStatus(id)).toBe("SUCCEEDED");

  // The monitor, the header's dot and the modal shared one connection to /api/events.
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  expect(streams).toHaveLength(1);
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
});

test("history filters by job, status and trigger, 50 a page, with previous and next", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const quick = await createJobViaApi(page.request, demoSleepJob(uniqueName("Many runs"), { params: { durationMs: 0, steps: 1 }, schedule: { type: "manual" } }));
  const failing = await createJobViaApi(
    page.request,
    demoSleepJob(uniqueName("Failing"), { params: { durationMs: 0, steps: 1, fail: true }, schedule: { type: "manual" }, maxAttempts: 2, retryBackoffSeconds: 1 }),
  );
  for (let index = 0; index < 53; index++) await runNowViaApi(page.request, quick.id);
  await runNowViaApi(page.request, failing.id);
  await expect
    .poll(async () => (await sql<{ count: number }>("SELECT count(*)::int AS count FROM executions WHERE job_id = $1 AND status = 'SUCCEEDED'", [quick.id]))[0].count, { timeout: 30_000 })
    .toBe(53);
  // The failed manual run and its retry.
  await expect
    .poll(async () => (await sql<{ count: number }>("SELECT count(*)::int AS count FROM executions WHERE job_id = $1 AND status = 'FAILED'", [failing.id]))[0].count, { timeout: 30_000 })
    .toBe(2);

  await openRuns(page);
  const apiTotal = async (query: string) => ((await (await page.request.get(`/api/executions?${query}`)).json()) as { total: number }).total;
  await expect(page.getByTestId("pager-range")).toHaveText(`Showing 1-50 of ${(await apiTotal("")).toLocaleString("en-US")}`);

  await page.getByLabel("Job", { exact: true }).selectOption({ label: quick.name });
  await expect(page).toHaveURL(new RegExp(`/runs\\?job=${quick.id}$`));
  await expect(page.getByTestId("pager-range")).toHaveText(`Showing 1-50 of ${await apiTotal(`jobId=${quick.id}`)}`);
  const rows = page.getByTestId("history-table").locator("tbody tr");
  await expect(rows).toHaveCount(50);

  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(new RegExp(`job=${quick.id}&page=2$`));
  await expect(page.getByTestId("pager-range")).toHaveText("Showing 51-53 of 53");
  await expect(rows).toHaveCount(3);
  const secondPage = (await (await page.request.get(`/api/executions?jobId=${quick.id}&page=2`)).json()) as { items: { id: string }[] };
  await expect(rows.first()).toHaveAttribute("data-execution-id", secondPage.items[0].id);
  await expect(page.getByText("Next →")).toHaveAttribute("aria-disabled", "true");

  // A run of this job finishing refreshes the history without leaving page 2.
  const extra = await runNowViaApi(page.request, quick.id);
  await expect(page.getByTestId("pager-range")).toHaveText("Showing 51-54 of 54");
  await expect(page).toHaveURL(/page=2$/);
  await expect.poll(() => executionStatus(extra)).toBe("SUCCEEDED");

  await page.getByRole("link", { name: "← Previous" }).click();
  await expect(page.getByTestId("pager-range")).toHaveText("Showing 1-50 of 54");
  await expect(rows.first()).toHaveAttribute("data-execution-id", extra);

  // Status and trigger, with the failing job.
  await page.getByLabel("Job", { exact: true }).selectOption({ label: failing.name });
  await page.getByLabel("Status").selectOption("FAILED");
  await expect(page).toHaveURL(new RegExp(`job=${failing.id}&status=FAILED$`));
  await expect(page.getByTestId("pager-range")).toHaveText("Showing 1-2 of 2");
  await page.getByLabel("Trigger").selectOption("retry");
  await expect(page).toHaveURL(new RegExp(`job=${failing.id}&status=FAILED&trigger=retry$`));
  await expect(page.getByTestId("pager-range")).toHaveText("Showing 1-1 of 1");
  const [retry] = await sql<{ id: string; attempt: number }>("SELECT id, attempt FROM executions WHERE job_id = $1 AND trigger = 'retry'", [failing.id]);
  expect(retry.attempt).toBe(2);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-execution-id", retry.id);
  await expect(rows.first()).toContainText("demo.sleep was asked to fail");
  expect(await apiTotal(`jobId=${failing.id}&status=FAILED&trigger=retry`)).toBe(1);

  // A run's details open over the filtered history and close back to it.
  const details = rows.first().getByRole("link", { name: `Details of run ${retry.id.slice(0, 8)}` });
  await details.click();
  const dialog = page.getByRole("dialog", { name: `Run of "${failing.name}"` });
  await expect(dialog.getByTestId("execution-id")).toHaveText(retry.id);
  await expect(dialog.getByTestId("execution-status")).toHaveText(/Failed/);
  await expect(page).toHaveURL(new RegExp(`trigger=retry&execution=${retry.id}$`));
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`job=${failing.id}&status=FAILED&trigger=retry$`));
  await expect(details).toBeFocused();

  await page.getByLabel("Trigger").selectOption("schedule");
  await expect(page.getByTestId("history-empty")).toContainText("No runs match these filters.");
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByLabel("Status")).toHaveValue("");
});

test("a banner says when live updates are paused, warns when the data is stale, and the snapshot catches up", async ({ browser }) => {
  const proxy = await startBreakableProxy();
  const context = await browser.newContext({ proxy: { server: proxy.server } });
  try {
    const page = await context.newPage();
    await page.clock.install();
    await signIn(page);
    // API calls go around the proxy, so they work while the page is cut off.
    const api = await request.newContext({ baseURL: BASE_URL, storageState: await context.storageState() });
    const job = await createJobViaApi(api, demoSleepJob(uniqueName("While away"), { params: { durationMs: 60_000, steps: 60 }, schedule: { type: "manual" } }));
    await openRuns(page);
    const banner = page.getByTestId("connection-banner");
    await expect(banner).toBeEmpty();

    proxy.cut();
    await expect(banner).toContainText("Live updates paused, reconnecting");
    await expect(page.getByRole("status").filter({ hasText: "Live updates paused" })).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveText("Reconnecting…");
    await expect(page.getByTestId("stale-warning")).toHaveCount(0);
    await page.clock.fastForward("01:05");
    await expect(page.getByTestId("stale-warning")).toContainText(/The data on this page may be out of date — last update \d\d:\d\d:\d\d/);

    // A run that starts while the page is away arrives with the snapshot on reconnect.
    const id = await runNowViaApi(api, job.id);
    await expect.poll(() => executionStatus(id)).toBe("RUNNING");
    proxy.restore();
    await expect(page.getByTestId("live-status")).toHaveText("Live", { timeout: 15_000 });
    await expect(banner).toBeEmpty();
    await expect(activeRun(page, id).getByTestId("run-status")).toContainText("Running");
    await api.post(`/api/executions/${id}/cancel`, { headers: SAME_ORIGIN });
    await api.dispose();
  } finally {
    await context.close();
    await proxy.close();
  }
});

test("once the session has ended, the page says so and links to sign in instead of reconnecting forever", async ({ browser }) => {
  const proxy = await startBreakableProxy();
  const context = await browser.newContext({ proxy: { server: proxy.server } });
  try {
    const page = await context.newPage();
    await signIn(page);
    await openRuns(page);
    proxy.cut();
    await expect(page.getByTestId("live-status")).toHaveText("Reconnecting…");
    // Signed out elsewhere (or the session expired): the stream's reconnect is refused.
    await context.clearCookies();
    proxy.restore();
    const banner = page.getByTestId("connection-banner");
    await expect(banner).toContainText("Your session has ended — sign in again", { timeout: 20_000 });
    await expect(banner.getByRole("link", { name: "sign in again" })).toHaveAttribute("href", "/login?callbackUrl=%2Fruns");
    await expect(page.getByTestId("live-status")).toContainText("Your session has ended");
  } finally {
    await context.close();
    await proxy.close();
  }
});

test("a tab of a user who was disabled stops reconnecting and says the session has ended", async ({ browser }) => {
  const operator = await createUserWithCli("operator");
  const proxy = await startBreakableProxy();
  const context = await browser.newContext({ proxy: { server: proxy.server } });
  try {
    const page = await context.newPage();
    await signIn(page, operator);
    await openRuns(page);
    proxy.cut();
    await expect(page.getByTestId("live-status")).toHaveText("Reconnecting…");
    // The browser keeps its sign-in cookie, but the server no longer accepts it.
    await sql("UPDATE users SET disabled = true WHERE email = $1", [operator.email]);
    proxy.restore();
    await expect(page.getByTestId("connection-banner")).toContainText("Your session has ended — sign in again", { timeout: 20_000 });
    expect(await page.evaluate(async () => (await fetch("/api/definitions")).status)).toBe(401);
  } finally {
    await context.close();
    await proxy.close();
  }
});

test("an admin cleans up stalled runs with a report; a viewer gets neither cleanup nor cancel", async ({ page, browser }) => {
  await signIn(page);
  const [stalled] = await sql<{ id: string }>(
    `INSERT INTO executions (job_name, type, status, trigger, triggered_by, scheduled_for, queued_at, started_at, last_heartbeat_at, worker_id)
     VALUES ($1, 'demo.sleep', 'RUNNING', 'manual', 'e2e', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', 'gone-worker')
     RETURNING id`,
    [uniqueName("Stalled")],
  );
  await openRuns(page);
  await page.getByRole("button", { name: "Clean up stalled" }).click();
  const dialog = page.getByRole("dialog", { name: "Clean up stalled runs?" });
  await dialog.getByRole("button", { name: "Clean up" }).click();
  const report = page.getByTestId("cleanup-report");
  await expect(report).toContainText(/Cleaned up \d+ stalled runs?:/);
  await expect(report.getByRole("link", { name: `Details of run ${stalled.id.slice(0, 8)}` })).toBeVisible();
  await expect(toast(page, /Cleaned up \d+ stalled run/)).toBeVisible();
  const [stored] = await sql<{ status: string; error_code: string }>("SELECT status::text AS status, error_code FROM executions WHERE id = $1", [stalled.id]);
  expect(stored).toEqual({ status: "FAILED", error_code: "STALLED" });
  const [audit] = await sql<{ actor: string }>("SELECT actor FROM audit_events WHERE action = 'executions.cleanup_stalled' ORDER BY at DESC LIMIT 1");
  expect(audit.actor).toBe(ADMIN.email);

  // Again: nothing left to clean.
  await page.getByRole("button", { name: "Clean up stalled" }).click();
  await page.getByRole("dialog", { name: "Clean up stalled runs?" }).getByRole("button", { name: "Clean up" }).click();
  await expect(report).toContainText("Nothing to clean up");

  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Seen by viewer"), { params: { durationMs: 60_000, steps: 60 }, schedule: { type: "manual" } }));
  const id = await runNowViaApi(page.request, job.id);
  const viewer = await createUserWithCli("viewer");
  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await signIn(viewerPage, viewer);
  await openRuns(viewerPage);
  await expect(activeRun(viewerPage, id).getByTestId("run-status")).toContainText("Running");
  await expect(viewerPage.getByRole("button", { name: /^(Cancel|Stopping)/ })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Clean up stalled" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Refresh" })).toBeVisible();
  const refused = await viewerContext.request.post(`/api/executions/${id}/cancel`, { headers: SAME_ORIGIN });
  expect(refused.status()).toBe(403);
  expect(await executionStatus(id)).toBe("RUNNING");
  await viewerContext.close();
  await page.request.post(`/api/executions/${id}/cancel`, { headers: SAME_ORIGIN });
});

test("fits a phone's width: no sideways page scroll, controls reachable by keyboard", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("On a phone with a rather long job name"), { params: { durationMs: 60_000, steps: 60 }, schedule: { type: "manual" } }));
  await openRuns(page);
  const id = await runNowViaApi(page.request, job.id);
  const card = activeRun(page, id);
  await expect(card.getByTestId("run-progress-text")).toBeVisible();
  await expect(page.getByTestId("history-table")).toBeVisible();
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: "test-results/runs-390.png", fullPage: true });
  await expectNoSideScroll(page);

  const cancel = card.getByRole("button", { name: /^Cancel run/ });
  await cancel.focus();
  await page.keyboard.press("Enter");
  await expect(card.getByTestId("run-status")).toContainText("Cancelled");
  expect(await executionStatus(id)).toBe("CANCELLED");
  // The focus stays on the card's button until the card leaves, then goes to the monitor's heading.
  await expect(card.getByRole("button", { name: /^Cancelled run/ })).toBeFocused();
  await expect(card).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Active runs" })).toBeFocused();
  await page.setViewportSize({ width: 1280, height: 900 });
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: "test-results/runs-1280.png", fullPage: true });
});
