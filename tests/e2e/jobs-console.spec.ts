// The jobs console through the real server: create, edit, conflicting edits, enable/disable,
// delete and bad params in the browser, each checked against the API and the database.
import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, delayServerActions, demoSleepJob, findJobsViaApi, getJobViaApi, jobRow, patchJobViaApi, signIn, toast, uniqueName } from "./support/console";
import { ADMIN } from "./support/settings";

test.beforeEach(async ({ page }) => {
  await signIn(page);
  // Every spec before this one adds jobs: one page of 200 keeps this spec's rows on the page
  // whatever their names (25 a page put "Watched …" on page 2 once the suite passed 25 jobs).
  await page.goto("/jobs?pageSize=200");
});

test("creates a job from the modal: the row appears and the API and database hold it", async ({ page }) => {
  const name = uniqueName("Created in the console");
  await page.getByRole("button", { name: "New job" }).click();
  const dialog = page.getByRole("dialog", { name: "New job" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Name", { exact: true })).toBeFocused();

  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Description").fill("Made by the e2e suite");
  await dialog.getByLabel("Type").selectOption("demo.sleep");
  // Switching type loads that type's defaults into untouched params.
  await expect(dialog.getByLabel("Params (JSON)")).toHaveValue(/"durationMs": 5000/);
  await dialog.getByLabel("Params (JSON)").fill('{ "durationMs": 1500, "steps": 3 }');
  await dialog.getByLabel("Cron expression").fill("*/5 * * * *");
  await dialog.getByLabel("Time zone").selectOption("Europe/Berlin");
  await expect(dialog.getByTestId("schedule-words")).toHaveText("Every 5 minutes, every hour, every day (Europe/Berlin)");
  await expect(dialog.getByTestId("fire-preview").getByRole("listitem")).toHaveCount(5);
  await dialog.getByLabel("Max attempts").fill("3");
  await delayServerActions(page, 1500);

  await dialog.getByRole("button", { name: "Create job" }).click();

  // The row is there at once, marked as being created, while the server is still busy.
  await expect(jobRow(page, name)).toContainText("Creating…");
  await expect(dialog.getByRole("button", { name: "Saving…" })).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(toast(page, `Created job "${name}"`)).toBeVisible();
  const row = jobRow(page, name);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("demo.sleep");
  await expect(row).toContainText("*/5 * * * *");
  await expect(row.getByRole("switch")).toHaveAttribute("aria-checked", "true");

  const [job] = await findJobsViaApi(page.request, name);
  expect(job).toMatchObject({
    name,
    description: "Made by the e2e suite",
    type: "demo.sleep",
    params: { durationMs: 1500, steps: 3 },
    schedule: { type: "cron", expression: "*/5 * * * *", timezone: "Europe/Berlin" },
    enabled: true,
    maxAttempts: 3,
    version: 1,
  });
  expect(job.nextRunAt).not.toBeNull();
  const [stored] = await sql<{ created_by: string; cron_expression: string }>("SELECT created_by, cron_expression FROM jobs WHERE id = $1", [job.id]);
  expect(stored).toEqual({ created_by: ADMIN.email, cron_expression: "*/5 * * * *" });
  const audit = await sql<{ action: string; actor: string }>("SELECT action, actor FROM audit_events WHERE target_id = $1", [job.id]);
  expect(audit).toEqual([{ action: "job.create", actor: ADMIN.email }]);
});

test("edits a job; the change is saved and survives a reload", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Edit me")));
  await page.reload();
  const row = jobRow(page, seeded.name);
  await row.getByRole("button", { name: `Edit ${seeded.name}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Edit "${seeded.name}"` });

  await dialog.getByLabel("Description").fill("Now every ten minutes");
  await dialog.getByRole("radio", { name: "Interval" }).check();
  await dialog.getByLabel("Every", { exact: true }).fill("10");
  await dialog.getByLabel("Unit").selectOption("minutes");
  await dialog.getByRole("button", { name: "Save changes" }).click();

  await expect(dialog).toBeHidden();
  await expect(toast(page, `Saved "${seeded.name}"`)).toBeVisible();
  await expect(row.getByRole("button", { name: `Edit ${seeded.name}`, exact: true })).toBeFocused();
  await expect(row).toContainText("Every 10 minutes");
  await page.reload();
  await expect(jobRow(page, seeded.name)).toContainText("Every 10 minutes");
  await expect(jobRow(page, seeded.name)).toContainText("Now every ten minutes");

  const { job } = await getJobViaApi(page.request, seeded.id);
  expect(job).toMatchObject({ description: "Now every ten minutes", schedule: { type: "interval", everySeconds: 600 }, version: 2 });
  const [stored] = await sql<{ version: number; interval_seconds: number; schedule_type: string }>(
    "SELECT version, interval_seconds, schedule_type::text AS schedule_type FROM jobs WHERE id = $1",
    [seeded.id],
  );
  expect(stored).toEqual({ version: 2, interval_seconds: 600, schedule_type: "interval" });
});

test("a conflicting edit from a second page is refused, and the form offers to reload", async ({ page, context }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Contested")));
  await page.reload();
  await jobRow(page, seeded.name).getByRole("button", { name: `Edit ${seeded.name}`, exact: true }).click();
  const staleDialog = page.getByRole("dialog", { name: `Edit "${seeded.name}"` });
  await staleDialog.getByLabel("Description").fill("Written on the first page");

  // Meanwhile a second page (same operator, another tab) saves its own change.
  const other = await context.newPage();
  await other.goto("/jobs");
  await jobRow(other, seeded.name).getByRole("button", { name: `Edit ${seeded.name}`, exact: true }).click();
  const otherDialog = other.getByRole("dialog", { name: `Edit "${seeded.name}"` });
  await otherDialog.getByLabel("Description").fill("Written on the second page");
  await otherDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(otherDialog).toBeHidden();
  await other.close();

  await staleDialog.getByRole("button", { name: "Save changes" }).click();

  const notice = staleDialog.getByTestId("conflict-notice");
  await expect(notice).toContainText("Someone else changed this job after you opened it");
  await expect(notice).toContainText("now at version 2 (you started from version 1)");
  await expect(toast(page, `"${seeded.name}" was changed by someone else`)).toBeVisible();
  expect((await getJobViaApi(page.request, seeded.id)).job).toMatchObject({ description: "Written on the second page", version: 2 });

  await notice.getByRole("button", { name: "Reload latest version" }).click();
  await expect(staleDialog.getByTestId("conflict-notice")).toBeHidden();
  await expect(staleDialog.getByLabel("Description")).toHaveValue("Written on the second page");
  await staleDialog.getByLabel("Description").fill("Written on the first page, after reloading");
  await staleDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(staleDialog).toBeHidden();

  expect((await getJobViaApi(page.request, seeded.id)).job).toMatchObject({ description: "Written on the first page, after reloading", version: 3 });
});

test("disables and enables a job with the switch", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Switch me")));
  await page.reload();
  const toggle = jobRow(page, seeded.name).getByRole("switch", { name: `Enabled: ${seeded.name}` });
  await expect(toggle).toHaveAttribute("aria-checked", "true");

  // By keyboard: the switch keeps its focus while the change is saved.
  await toggle.focus();
  await page.keyboard.press("Space");
  await expect(toast(page, `Disabled "${seeded.name}"`)).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(toggle).toBeFocused();
  await expect(toggle).toHaveText("Disabled");
  await expect(page.getByTestId("live-region")).toHaveText(`Disabled "${seeded.name}"`);
  expect((await getJobViaApi(page.request, seeded.id)).job).toMatchObject({ enabled: false, nextRunAt: null, version: 2 });

  await toggle.click();
  await expect(toast(page, `Enabled "${seeded.name}"`)).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const { job } = await getJobViaApi(page.request, seeded.id);
  expect(job).toMatchObject({ enabled: true, version: 3 });
  expect(job?.nextRunAt).not.toBeNull();

  await page.reload();
  await expect(jobRow(page, seeded.name).getByRole("switch")).toHaveAttribute("aria-checked", "true");
  const audit = await sql<{ action: string }>("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq", [seeded.id]);
  expect(audit.map((event) => event.action)).toEqual(["job.create", "job.disable", "job.enable"]);
});

test("deletes a job after a confirm dialog that names it; the row stays in the database, soft-deleted", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Delete me")));
  await page.reload();
  const deleteButton = jobRow(page, seeded.name).getByRole("button", { name: `Delete ${seeded.name}`, exact: true });

  await deleteButton.click();
  const confirm = page.getByRole("dialog", { name: `Delete "${seeded.name}"?` });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(deleteButton).toBeFocused();
  expect((await getJobViaApi(page.request, seeded.id)).status).toBe(200);

  await deleteButton.click();
  await confirm.getByRole("button", { name: "Delete job" }).click();

  await expect(toast(page, `Deleted "${seeded.name}"`)).toBeVisible();
  await expect(jobRow(page, seeded.name)).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeFocused();
  await page.reload();
  await expect(jobRow(page, seeded.name)).toHaveCount(0);
  expect((await getJobViaApi(page.request, seeded.id)).status).toBe(404);
  expect(await findJobsViaApi(page.request, seeded.name)).toEqual([]);
  const [stored] = await sql<{ deleted: boolean; enabled: boolean }>("SELECT deleted_at IS NOT NULL AS deleted, enabled FROM jobs WHERE id = $1", [seeded.id]);
  expect(stored).toEqual({ deleted: true, enabled: false });
});

test("invalid params get the server's error inline on the params field, and nothing is saved", async ({ page }) => {
  const name = uniqueName("Bad params");
  await page.getByRole("button", { name: "New job" }).click();
  const dialog = page.getByRole("dialog", { name: "New job" });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Type").selectOption("http.request");
  await dialog.getByLabel("Params (JSON)").fill('{ "url": "ftp://example.test/file" }');
  await dialog.getByRole("radio", { name: "Manual" }).check();
  await delayServerActions(page, 1000);

  await dialog.getByRole("button", { name: "Create job" }).click();

  await expect(jobRow(page, name)).toContainText("Creating…");

  const params = dialog.getByLabel("Params (JSON)");
  await expect(params).toHaveAttribute("aria-invalid", "true");
  await expect(params).toHaveAccessibleDescription(/url: Use an http or https URL/);
  await expect(dialog.getByTestId("error-summary")).toContainText("Params: url: Use an http or https URL");
  await expect(dialog.getByTestId("error-summary")).toBeFocused();
  await expect(toast(page, `Could not save "${name}"`)).toBeVisible();
  // The optimistic row is gone again and the form keeps what was typed.
  await expect(jobRow(page, name)).toHaveCount(0);
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue(name);

  expect(await findJobsViaApi(page.request, name)).toEqual([]);
  const [{ count }] = await sql<{ count: number }>("SELECT count(*)::int AS count FROM jobs WHERE name = $1", [name]);
  expect(count).toBe(0);
});

test("a change made elsewhere shows up in an open console without a reload", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Watched")));
  await page.reload();
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  await expect(jobRow(page, seeded.name).getByRole("switch")).toHaveAttribute("aria-checked", "true");

  // Another operator, through the API: the console hears of it on GET /api/events.
  const response = await patchJobViaApi(page.request, seeded.id, { description: "Changed through the API", enabled: false, version: 1 });
  expect(response.status()).toBe(200);

  await expect(jobRow(page, seeded.name)).toContainText("Changed through the API");
  await expect(jobRow(page, seeded.name).getByRole("switch")).toHaveAttribute("aria-checked", "false");
});

test("a change made between the page's render and the start of its event stream shows once the stream starts", async ({ page }) => {
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Raced")));
  // Hold the tab's event stream back until the change is made, as a slow connection would.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/events*", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`/jobs/${seeded.id}`);
  await expect(page.getByRole("heading", { level: 1, name: seeded.name })).toBeVisible();

  const response = await patchJobViaApi(page.request, seeded.id, { description: "Changed before the stream started", version: 1 });
  expect(response.status()).toBe(200);
  release();

  await expect(page.getByTestId("live-status")).toHaveText("Live");
  await expect(page.getByText("Changed before the stream started", { exact: true })).toBeVisible();
});
