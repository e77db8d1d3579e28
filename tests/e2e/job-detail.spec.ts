// The job detail page through the real server: opened from the list, its definition and next fire
// times, run now with the execution in its history (and the API), an edit in the audit trail, and
// a 404 for an unknown id.
import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, createUserWithCli, demoSleepJob, expectNoSideScroll, getJobViaApi, jobRow, patchJobViaApi, signIn, toast, uniqueName } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test("opens a job from the list, runs it and shows the execution and the audit trail", async ({ page }) => {
  const seeded = await createJobViaApi(
    page.request,
    demoSleepJob(uniqueName("Detail"), { params: { durationMs: 100, steps: 1 }, schedule: { type: "cron", expression: "30 4 * * *", timezone: "Europe/Berlin" } }),
  );
  expect((await patchJobViaApi(page.request, seeded.id, { notes: "Edited before opening" })).status()).toBe(200);
  await page.reload();

  await jobRow(page, seeded.name).getByRole("link", { name: seeded.name }).click();
  await expect(page).toHaveURL(`/jobs/${seeded.id}`);
  await expect(page.getByRole("heading", { level: 1, name: seeded.name })).toBeVisible();

  const definition = page.getByTestId("job-definition");
  await expect(definition).toContainText("demo.sleep");
  await expect(definition).toContainText("30 4 * * *");
  await expect(definition).toContainText("Europe/Berlin");
  await expect(definition).toContainText("Edited before opening");
  await expect(definition.getByLabel("Params as JSON")).toContainText('"durationMs": 100');
  await expect(page.getByTestId("next-fire-times").getByRole("listitem")).toHaveCount(5);
  await expect(page.getByTestId("next-fire-times").getByRole("listitem").first()).toContainText("04:30");

  const audit = page.getByTestId("audit-trail");
  await expect(audit.locator('[data-action="job.update"]')).toContainText(ADMIN.email);
  await expect(audit.locator('[data-action="job.update"]').getByRole("row", { name: /notes/ })).toContainText("Edited before opening");
  await expect(page.getByTestId("execution-history")).toContainText("No executions yet.");

  await page.getByRole("button", { name: "Run now" }).click();
  await expect(toast(page, `Queued a run of "${seeded.name}"`)).toBeVisible();
  const history = page.getByTestId("execution-history").getByRole("row").filter({ hasText: "manual" });
  await expect(history).toHaveCount(1);
  await expect(history).toContainText(ADMIN.email);
  await expect(audit.locator('[data-action="job.run"]')).toContainText(ADMIN.email);

  const response = await page.request.get(`/api/jobs/${seeded.id}/executions`);
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: { id: string; trigger: string; triggeredBy: string }[] };
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ trigger: "manual", triggeredBy: ADMIN.email });
  await expect(page.locator(`[data-execution-id="${items[0].id}"]`)).toBeVisible();

  // The run finishes in the background; the page follows it through the live refresh.
  await expect(page.locator(`[data-execution-id="${items[0].id}"]`)).toContainText("Succeeded", { timeout: 20_000 });
  await expect(page.getByTestId("run-sparkline")).toHaveAttribute("aria-label", /1 succeeded, 0 failed/);
  const [stored] = await sql<{ status: string }>("SELECT status::text AS status FROM executions WHERE id = $1", [items[0].id]);
  expect(stored.status).toBe("SUCCEEDED");

  // Filtering the history by status goes through the URL.
  await page.getByLabel("Status", { exact: true }).selectOption("FAILED");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=FAILED/);
  await expect(page.getByTestId("execution-history")).toContainText("No executions match these filters.");
});

test("edits in the list's modal and disables from the detail page; the audit trail shows each diff", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Edit on detail")));
  await page.goto(`/jobs/${seeded.id}`);

  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Edit "${seeded.name}"` });
  await dialog.getByLabel("Description").fill("Changed on the detail page");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, `Saved "${seeded.name}"`)).toBeVisible();
  await expect(page.getByTestId("job-definition")).toContainText("2");
  const update = page.getByTestId("audit-trail").locator('[data-action="job.update"]');
  await expect(update.getByRole("row", { name: /description/ })).toContainText("Changed on the detail page");

  const toggle = page.getByRole("switch", { name: "Enabled" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(toast(page, `Disabled "${seeded.name}"`)).toBeVisible();
  await expect(page.getByTestId("audit-trail").getByRole("row", { name: /enabled/ }).first()).toContainText("false");
  expect((await getJobViaApi(page.request, seeded.id)).job).toMatchObject({ description: "Changed on the detail page", enabled: false, version: 3 });
});

test("a viewer sees the page read-only", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Viewer detail")));
  const viewer = await createUserWithCli("viewer");
  await page.context().clearCookies();
  await signIn(page, viewer);
  await page.goto(`/jobs/${seeded.id}`);
  await expect(page.getByRole("heading", { level: 1, name: seeded.name })).toBeVisible();
  await expect(page.getByText("You have the viewer role")).toBeVisible();
  await expect(page.getByRole("button", { name: /Run now|Edit|Delete/ })).toHaveCount(0);
  await expect(page.getByRole("switch")).toHaveCount(0);
  await expect(page.getByTestId("job-definition")).toContainText("demo.sleep");
});

test("deleting from the detail page (at 390 px) goes back to the list", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Delete from detail")));
  // On a 390 px phone screen the page fits without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`/jobs/${seeded.id}`);
  await expect(page.getByRole("button", { name: "Run now" })).toBeVisible();
  await expectNoSideScroll(page);
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete job" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(jobRow(page, seeded.name)).toHaveCount(0);
  const response = await page.goto(`/jobs/${seeded.id}`);
  expect(response?.status()).toBe(404);
});

test("an unknown job id gives the 404 page", async ({ page }) => {
  const response = await page.goto("/jobs/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("job-not-found")).toContainText("Job not found");
  expect((await page.goto("/jobs/not-a-uuid"))?.status()).toBe(404);
});

test("a job paused after failures shows Reset, and resetting puts it back on its schedule", async ({ page }) => {
  const seeded = await createJobViaApi(
    page.request,
    demoSleepJob(uniqueName("Failing"), { params: { durationMs: 50, steps: 1, fail: true }, pauseAfterFailures: 1 }),
  );
  expect((await page.request.post(`/api/jobs/${seeded.id}/run`, { headers: { origin: BASE_URL } })).status()).toBe(202);
  await expect.poll(async () => (await getJobViaApi(page.request, seeded.id)).job?.health, { timeout: 20_000 }).toBe("failed");

  await page.goto(`/jobs/${seeded.id}`);
  await expect(page.getByTestId("job-status")).toContainText(/failed/i);
  await page.getByRole("button", { name: "Reset", exact: true }).click();
  await expect(toast(page, `Reset "${seeded.name}": it is scheduled again`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Reset", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeFocused();

  const { job } = await getJobViaApi(page.request, seeded.id);
  expect(job).toMatchObject({ health: "active" });
  expect(job?.nextRunAt).not.toBeNull();
  const [reset] = await sql<{ actor: string }>("SELECT actor FROM audit_events WHERE target_id = $1 AND action = 'job.reset'", [seeded.id]);
  expect(reset.actor).toBe(ADMIN.email);
});

test("the jobs list resets a failed job from its row", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Row reset")));
  await sql("UPDATE jobs SET health = 'failed', consecutive_failures = 3, next_run_at = NULL WHERE id = $1", [seeded.id]);
  await page.goto(`/jobs?query=${encodeURIComponent(seeded.name)}`);
  const row = jobRow(page, seeded.name);
  await expect(row).toContainText("Failed");
  await row.getByRole("button", { name: `Reset ${seeded.name}` }).click();
  await expect(toast(page, `Reset "${seeded.name}": it is scheduled again`)).toBeVisible();
  await expect(row.getByRole("button", { name: `Edit ${seeded.name}` })).toBeFocused();
  await expect(row.getByRole("button", { name: `Reset ${seeded.name}` })).toHaveCount(0);
  const { job } = await getJobViaApi(page.request, seeded.id);
  expect(job).toMatchObject({ health: "active" });
  expect(job?.nextRunAt).not.toBeNull();
});

test("a job with more changes than the page shows links to its full audit log", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Much edited")));
  for (let edit = 1; edit <= 21; edit++) expect((await patchJobViaApi(page.request, seeded.id, { notes: `Edit ${edit}` })).status()).toBe(200);
  await page.goto(`/jobs/${seeded.id}`);
  await expect(page.getByTestId("audit-trail").locator(".audit-event")).toHaveCount(20);
  const more = page.getByTestId("more-audit");
  await expect(more).toContainText("Showing the newest 20 of 22 changes.");
  await more.getByRole("link", { name: "See all changes of this job in the audit log" }).click();
  await expect(page).toHaveURL(`/audit?targetId=${seeded.id}`);
  const audit = (await (await page.request.get(`/api/audit?targetId=${seeded.id}`)).json()) as { total: number };
  expect(audit.total).toBe(22);
  await expect(page.getByText(`Showing 1-22 of 22`)).toBeVisible();
});
