// Screenshots of the console for docs/screenshots, at a desktop and a phone width. They change
// with every run (relative times, ids), so they are taken only when asked:
//   E2E_SCREENSHOTS=1 npx playwright test screenshots
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createJobViaApi, signIn } from "./support/console";
import { BASE_URL } from "./support/settings";

const OUT = path.resolve(import.meta.dirname, "../../docs/screenshots");
const WIDTHS = [
  { label: "1280", viewport: { width: 1280, height: 900 } },
  { label: "390", viewport: { width: 390, height: 844 } },
];

test.skip(!process.env.E2E_SCREENSHOTS, "set E2E_SCREENSHOTS=1 to refresh docs/screenshots");

async function openCreateModal(page: Page) {
  await page.getByRole("button", { name: "New job" }).click();
  const dialog = page.getByRole("dialog", { name: "New job" });
  await dialog.getByLabel("Name", { exact: true }).fill("Monthly invoice run");
  await dialog.getByLabel("Type").selectOption("http.request");
  // The first of every month at 09:00 Berlin time: five fire times that cross the March DST switch.
  await dialog.getByLabel("Cron expression").fill("0 9 1 * *");
  await dialog.getByLabel("Time zone").selectOption("Europe/Berlin");
  return dialog;
}

/** Some history for the table and the stats: one demo job that succeeds and one that fails. */
async function runDemoJobs(page: Page) {
  const { items } = (await (await page.request.get("/api/jobs?query=(demo)")).json()) as { items: { id: string; name: string }[] };
  const toRun = items.filter((job) => ["Heartbeat (demo)", "Flaky import (demo)"].includes(job.name));
  for (const job of toRun) await page.request.post(`/api/jobs/${job.id}/run`, { headers: { origin: BASE_URL } });
  await expect
    .poll(async () => ((await (await page.request.get("/api/stats")).json()) as { last24h: { total: number } }).last24h.total, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(toRun.length);
}

test("jobs page and create modal at 1280 and 390 px", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const response = await page.request.get("/api/jobs?query=Nightly%20backup");
  if ((await response.json()).total === 0) {
    await createJobViaApi(page.request, {
      name: "Nightly backup",
      description: "Dumps the database to object storage.",
      type: "http.request",
      params: { method: "POST", url: "https://backup.example.test/run" },
      schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
      maxAttempts: 3,
    });
  }
  await runDemoJobs(page);
  for (const { label, viewport } of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto("/jobs");
    await expect(page.getByRole("table")).toBeVisible();
    await page.screenshot({ path: path.join(OUT, `jobs-${label}.png`), fullPage: true });

    const dialog = await openCreateModal(page);
    await dialog.getByLabel("Name", { exact: true }).focus();
    await dialog.locator(".modal-body").evaluate((body) => body.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, `create-modal-${label}.png`) });
    await dialog.getByTestId("fire-preview").scrollIntoViewIfNeeded();
    await expect(dialog.getByTestId("fire-preview")).toContainText("DST change");
    await page.screenshot({ path: path.join(OUT, `create-modal-schedule-${label}.png`) });
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
  }
});

test("execution details and run job modals at 1280 and 390 px", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const job = await createJobViaApi(page.request, {
    name: `Import orders ${Date.now().toString(36)}`,
    type: "demo.sleep",
    params: { durationMs: 120_000, steps: 120 },
    schedule: { type: "manual" },
  });
  const run = await page.request.post(`/api/jobs/${job.id}/run`, { headers: { origin: BASE_URL } });
  const executionId = ((await run.json()) as { execution: { id: string } }).execution.id;
  for (const { label, viewport } of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto(`/jobs/${job.id}?execution=${executionId}`);
    const details = page.getByRole("dialog", { name: `Run of "${job.name}"` });
    await expect(details.getByTestId("execution-progress")).toContainText(/[1-9]\d*%/, { timeout: 20_000 });
    await page.screenshot({ path: path.join(OUT, `execution-details-${label}.png`) });
    await page.keyboard.press("Escape");

    await page.goto("/jobs");
    await page.getByRole("button", { name: "Run job" }).click();
    const runJob = page.getByRole("dialog", { name: "Run job" });
    await runJob.getByLabel("Handler").selectOption("demo.sleep");
    await runJob.getByLabel("Params (JSON)").fill('{\n  "durationMs": 1000,\n  "steps": 0\n}');
    await runJob.getByRole("button", { name: "Run", exact: true }).click();
    await expect(runJob.locator("#run-job-params-error")).toBeVisible();
    await page.screenshot({ path: path.join(OUT, `run-job-modal-${label}.png`) });
    await page.keyboard.press("Escape");
  }
  await page.request.post(`/api/executions/${executionId}/cancel`, { headers: { origin: BASE_URL } });
});

test("the Logs tab of a live command run at 1280 and 390 px", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  // print-lines is in tests/e2e/support/commands.json (TICKWORK_COMMANDS of the e2e server); every tenth line goes to stderr.
  const job = await createJobViaApi(page.request, {
    name: `Nightly backup ${Date.now().toString(36)}`,
    type: "command",
    params: { command: "print-lines", args: { count: "600", pause: "0.1" } },
    schedule: { type: "manual" },
  });
  const run = await page.request.post(`/api/jobs/${job.id}/run`, { headers: { origin: BASE_URL } });
  const executionId = ((await run.json()) as { execution: { id: string } }).execution.id;
  for (const { label, viewport } of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto(`/jobs/${job.id}?execution=${executionId}`);
    await page.getByRole("tab", { name: "Logs" }).click();
    await expect(page.getByTestId("log-viewport").locator('[data-level="stderr"]').first()).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: path.join(OUT, `execution-logs-${label}.png`) });
    await page.keyboard.press("Escape");
  }
  await page.request.post(`/api/executions/${executionId}/cancel`, { headers: { origin: BASE_URL } });
});

test("runs, audit and settings pages at 1280 and 390 px", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await runDemoJobs(page);
  const job = await createJobViaApi(page.request, {
    name: `Rebuild search index ${Date.now().toString(36)}`,
    type: "demo.sleep",
    params: { durationMs: 120_000, steps: 120 },
    schedule: { type: "manual" },
  });
  const run = await page.request.post(`/api/jobs/${job.id}/run`, { headers: { origin: BASE_URL } });
  const executionId = ((await run.json()) as { execution: { id: string } }).execution.id;
  for (const { label, viewport } of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto("/runs");
    await expect(page.locator(`[data-testid="active-run"][data-execution-id="${executionId}"]`).getByRole("progressbar")).toHaveAttribute("value", /[1-9]/, {
      timeout: 20_000,
    });
    await page.screenshot({ path: path.join(OUT, `runs-${label}.png`), fullPage: true });
    for (const section of ["audit", "settings"]) {
      await page.goto(`/${section}`);
      await expect(page.getByRole("table").first()).toBeVisible();
      await page.screenshot({ path: path.join(OUT, `${section}-${label}.png`), fullPage: true });
    }
  }
  await page.request.post(`/api/executions/${executionId}/cancel`, { headers: { origin: BASE_URL } });
});

test("bulk actions, backfill, pause, chains and the maintenance banner at 1280 px", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.setViewportSize(WIDTHS[0].viewport);
  const make = async (name: string, extra: Record<string, unknown> = {}) => {
    const { items } = (await (await page.request.get(`/api/jobs?query=${encodeURIComponent(name)}`)).json()) as { items: { id: string; name: string }[] };
    return (
      items.find((job) => job.name === name) ??
      (await createJobViaApi(page.request, { name, type: "demo.sleep", params: { durationMs: 500, steps: 1 }, schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" }, ...extra }))
    );
  };
  const report = await make("Send usage report", { schedule: { type: "manual" } });
  const exportJob = await make("Export usage", { onSuccess: [report.id] });

  // Bulk: the whole "Execution history retention" filter, with the system job failing.
  await make("Execution history retention (copy)");
  await page.goto("/jobs?query=retention");
  await page.getByLabel("Select every job on this page").check();
  await page.getByRole("group", { name: "Bulk actions" }).getByRole("button", { name: "Disable" }).click();
  await page.screenshot({ path: path.join(OUT, "bulk-confirm-1280.png") });
  await page.getByRole("dialog").getByRole("button", { name: /^Disable \d+ jobs?$/ }).click();
  await expect(page.getByTestId("bulk-outcome")).toContainText("failed");
  await page.screenshot({ path: path.join(OUT, "bulk-outcome-1280.png") });

  // Backfill's dry run.
  await page.goto(`/jobs/${exportJob.id}`);
  await page.getByRole("button", { name: "Backfill…" }).click();
  const backfill = page.getByRole("dialog", { name: /^Backfill/ });
  await backfill.getByRole("button", { name: "Show fire times" }).click();
  await expect(backfill.getByTestId("backfill-preview")).toContainText("fire times");
  await page.screenshot({ path: path.join(OUT, "backfill-1280.png") });
  await page.keyboard.press("Escape");

  // Paused, with its chains.
  await page.request.post(`/api/jobs/${exportJob.id}/pause`, { headers: { origin: BASE_URL }, data: { until: new Date(Date.now() + 6 * 3_600_000).toISOString() } });
  await page.goto(`/jobs/${exportJob.id}`);
  await expect(page.getByTestId("paused-until")).toBeVisible();
  await page.screenshot({ path: path.join(OUT, "job-paused-chains-1280.png"), fullPage: true });
  await page.getByRole("button", { name: "Edit" }).click();
  const form = page.getByRole("dialog", { name: /^Edit/ });
  await form.getByRole("searchbox", { name: "When a run succeeds, run" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, "chains-form-1280.png") });
  await page.keyboard.press("Escape");
  await page.request.post(`/api/jobs/${exportJob.id}/resume`, { headers: { origin: BASE_URL } });

  // The maintenance banner, on the Runs page and in Settings.
  await page.request.put("/api/maintenance", { headers: { origin: BASE_URL }, data: { until: new Date(Date.now() + 2 * 3_600_000).toISOString(), reason: "Upgrading PostgreSQL to 17" } });
  try {
    await page.goto("/runs");
    await expect(page.getByTestId("maintenance-banner")).toBeVisible();
    await page.screenshot({ path: path.join(OUT, "maintenance-banner-1280.png") });
    await page.setViewportSize(WIDTHS[1].viewport);
    await page.goto("/settings#maintenance");
    await page.getByTestId("maintenance-section").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, "maintenance-settings-390.png") });
  } finally {
    await page.request.delete("/api/maintenance", { headers: { origin: BASE_URL } });
  }
});
