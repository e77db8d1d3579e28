// Controlling many runs through the real server: bulk actions on every job a filter matches and a
// partial failure, a backfill's dry run then its runs, pause and resume, the maintenance banner on
// every page (and the fires it skips), and editing chains (with a cycle refused) down to the
// chained run linking its parent in the details modal.
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, demoSleepJob, jobRow, SAME_ORIGIN, signIn, toast, uniqueName } from "./support/console";
import { ADMIN } from "./support/settings";

// The datetime-local inputs are read in the browser's zone; UTC keeps the expected times simple.
test.use({ timezoneId: "UTC" });

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

const HOUR = 3_600_000;
/** "2026-11-22T14:00" for a datetime-local input (UTC in these tests). */
const localInput = (date: Date) => date.toISOString().slice(0, 16);

async function filterList(page: Page, query: string) {
  await page.goto(`/jobs?query=${encodeURIComponent(query)}`);
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
}

test("bulk: selects every job a filter matches across pages and disables them all", async ({ page }) => {
  // Named to sort after the other specs' jobs, so their rows stay on the list's first page.
  const tag = uniqueName("zz-bulk", "-");
  const jobs = [];
  for (let i = 0; i < 27; i++) jobs.push(await createJobViaApi(page.request, demoSleepJob(`${tag} ${String(i).padStart(2, "0")}`)));
  await filterList(page, tag);
  await expect(page.getByTestId("job-count")).toHaveText("27 jobs");

  await page.getByLabel("Select every job on this page").check();
  await expect(page.getByTestId("bulk-count")).toHaveText("25 jobs selected");
  await page.getByRole("button", { name: "Select all 27 matching this filter" }).click();
  await expect(page.getByTestId("bulk-count")).toHaveText("All 27 jobs matching this filter selected");

  await page.getByRole("group", { name: "Bulk actions" }).getByRole("button", { name: "Disable" }).click();
  const dialog = page.getByRole("dialog", { name: "Disable 27 jobs?" });
  await expect(dialog).toContainText("every job matching the current filters (27 jobs now)");
  await dialog.getByRole("button", { name: "Disable 27 jobs" }).click();

  await expect(page.getByTestId("bulk-outcome")).toContainText("Disabled 27 jobs.");
  const rows = await sql<{ enabled: boolean; n: string }>("SELECT enabled, count(*) AS n FROM jobs WHERE name LIKE $1 GROUP BY enabled", [`${tag}%`]);
  expect(rows).toEqual([{ enabled: false, n: "27" }]);
  const audit = await sql<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE action = 'job.disable' AND target_id = ANY($1)", [jobs.map((job) => job.id)]);
  expect(audit[0].n).toBe("27");
  await expect(jobRow(page, jobs[0].name).getByRole("switch")).toHaveAttribute("aria-checked", "false");

  // Then delete them all the same way, so later specs see a short list.
  await page.getByLabel("Select every job on this page").check();
  await page.getByRole("button", { name: "Select all 27 matching this filter" }).click();
  await page.getByRole("group", { name: "Bulk actions" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete 27 jobs?" }).getByRole("button", { name: "Delete 27 jobs" }).click();
  await expect(page.getByTestId("bulk-outcome")).toContainText("Deleted 27 jobs.");
  const left = await sql<{ n: string }>("SELECT count(*) AS n FROM jobs WHERE name LIKE $1 AND deleted_at IS NULL", [`${tag}%`]);
  expect(left[0].n).toBe("0");
});

test("bulk: a partial failure lists the job that failed and why; the others are deleted", async ({ page }) => {
  // Named so one filter finds them and the system-managed "Execution history retention" job.
  const tag = uniqueName("retention", "-");
  const mine = [await createJobViaApi(page.request, demoSleepJob(`Execution history retention copy ${tag} a`)), await createJobViaApi(page.request, demoSleepJob(`Execution history retention copy ${tag} b`))];
  await page.goto(`/jobs?query=${encodeURIComponent("Execution history retention")}`);
  await expect(jobRow(page, mine[1].name)).toBeVisible();
  const listed = await page.getByRole("table").getByRole("row").count();
  await page.getByLabel("Select every job on this page").check();
  const count = listed - 1;
  await page.getByRole("group", { name: "Bulk actions" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: `Delete ${count} jobs?` }).getByRole("button", { name: `Delete ${count} jobs` }).click();

  const outcome = page.getByTestId("bulk-outcome");
  await expect(outcome).toContainText(`Deleted ${count - 1} jobs; 1 failed:`);
  await expect(outcome.getByTestId("bulk-failures")).toContainText("Execution history retention: ");
  await expect(outcome.getByTestId("bulk-failures")).toContainText("SYSTEM_MANAGED");
  const stored = await sql<{ name: string; deleted: boolean }>("SELECT name, deleted_at IS NOT NULL AS deleted FROM jobs WHERE id = ANY($1) OR system_key IS NOT NULL ORDER BY name", [mine.map((job) => job.id)]);
  expect(stored).toEqual([
    { name: "Execution history retention", deleted: false },
    { name: mine[0].name, deleted: true },
    { name: mine[1].name, deleted: true },
  ]);
});

test("backfill: the dry run shows the fire times, then queues them as backfill runs", async ({ page }) => {
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Backfill"), { params: { durationMs: 50, steps: 1 }, schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
  const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR);
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole("button", { name: "Backfill…" }).click();
  const dialog = page.getByRole("dialog", { name: `Backfill "${job.name}"` });
  await dialog.getByLabel("From (your time zone)").fill(localInput(start));
  await dialog.getByLabel("To, not included").fill(localInput(new Date(start.getTime() + 3 * HOUR)));
  await dialog.getByRole("button", { name: "Show fire times" }).click();
  const preview = dialog.getByTestId("backfill-preview");
  await expect(preview).toContainText("3 fire times");
  await expect(preview.getByRole("listitem")).toHaveText([0, 1, 2].map((i) => `${new Date(start.getTime() + i * HOUR).toISOString().replace("T", " ").slice(0, 19)} UTC`));
  expect(await sql("SELECT id FROM executions WHERE job_id = $1", [job.id])).toEqual([]);

  await dialog.getByRole("button", { name: "Queue 3 runs" }).click();
  await expect(toast(page, `Queued 3 backfill run(s) of "${job.name}"`)).toBeVisible();
  const runs = await sql<{ scheduled_for: Date; trigger: string }>("SELECT scheduled_for, trigger::text AS trigger FROM executions WHERE job_id = $1 ORDER BY scheduled_for", [job.id]);
  expect(runs.map((run) => [run.trigger, run.scheduled_for.toISOString()])).toEqual([0, 1, 2].map((i) => ["backfill", new Date(start.getTime() + i * HOUR).toISOString()]));

  // The worker runs them one at a time: each starts after the one before it finished.
  await expect
    .poll(async () => (await sql("SELECT id FROM executions WHERE job_id = $1 AND trigger = 'backfill' AND status = 'SUCCEEDED'", [job.id])).length, { timeout: 20_000 })
    .toBe(3);
  const timings = await sql<{ started_at: Date; finished_at: Date }>("SELECT started_at, finished_at FROM executions WHERE job_id = $1 AND trigger = 'backfill' ORDER BY started_at", [job.id]);
  for (let i = 1; i < timings.length; i++) expect(timings[i].started_at.getTime()).toBeGreaterThanOrEqual(timings[i - 1].finished_at.getTime());

  // The history filters by trigger.
  await page.getByLabel("Trigger", { exact: true }).selectOption("backfill");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/trigger=backfill/);
  const rows = page.getByTestId("execution-history").getByRole("row").filter({ hasText: "backfill" });
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "Succeeded" })).toHaveCount(3);
});

test("pause until a time, shown on the job page and in the list, then resume", async ({ page }) => {
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Pausable")));
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole("button", { name: "Pause…" }).click();
  const dialog = page.getByRole("dialog", { name: `Pause "${job.name}"` });
  const until = new Date(Math.floor(Date.now() / HOUR) * HOUR + 3 * HOUR);
  await dialog.getByLabel("Pause until (your time zone)").fill(localInput(until));
  await dialog.getByRole("button", { name: "Pause" }).click();
  const label = `Paused until ${until.toISOString().replace("T", " ").slice(0, 19)} UTC`;
  await expect(page.getByTestId("job-status").getByTestId("paused-until")).toHaveText(label);

  await filterList(page, job.name);
  const row = jobRow(page, job.name);
  await expect(row.getByTestId("paused-until")).toHaveText(label);
  await row.getByRole("button", { name: `Resume ${job.name}` }).click();
  await expect(toast(page, `Resumed "${job.name}"`)).toBeVisible();
  await expect(row.getByTestId("paused-until")).toHaveCount(0);
  const [stored] = await sql<{ paused_until: Date | null }>("SELECT paused_until FROM jobs WHERE id = $1", [job.id]);
  expect(stored.paused_until).toBeNull();
  const audit = await sql<{ action: string }>("SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'job.%' ORDER BY seq", [job.id]);
  expect(audit.map((event) => event.action)).toEqual(["job.create", "job.pause", "job.resume"]);
});

test("maintenance: the banner with the reason and end on every page, the fires it skips, and ending it", async ({ page }) => {
  const reason = uniqueName("Database upgrade");
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Every second"), { params: { durationMs: 0, steps: 1 }, schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" }, overlapPolicy: "allow" }));
  try {
    await page.goto("/settings");
    const section = page.getByTestId("maintenance-section");
    const until = new Date(Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR);
    await section.getByLabel("Until (your time zone)").fill(localInput(until));
    await section.getByLabel("Reason, for the banner").fill(reason);
    await section.getByRole("button", { name: "Start maintenance" }).click();
    const banner = page.getByTestId("maintenance-banner");
    await expect(banner).toContainText(`Maintenance until ${until.toISOString().replace("T", " ").slice(0, 19)} UTC`);
    await expect(banner).toContainText(reason);
    for (const path of ["/jobs", "/runs", `/jobs/${job.id}`, "/audit"]) {
      await page.goto(path);
      await expect(page.getByTestId("maintenance-banner"), path).toContainText(reason);
    }
    // The every-second job's fires are recorded as skipped, with the reason.
    await expect
      .poll(async () => (await sql("SELECT id FROM executions WHERE job_id = $1 AND status = 'SKIPPED' AND error_code = 'MAINTENANCE' AND error_message LIKE $2", [job.id, `%${reason}%`])).length, { timeout: 15_000 })
      .toBeGreaterThan(0);

    await page.goto("/settings");
    await page.getByTestId("maintenance-section").getByRole("button", { name: "End now" }).click();
    await expect(page.getByTestId("maintenance-banner")).toHaveCount(0);
    await page.goto("/jobs");
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
    await expect(page.getByTestId("maintenance-banner")).toHaveCount(0);
    const audit = await sql<{ action: string; actor: string }>("SELECT action, actor FROM audit_events WHERE action LIKE 'maintenance.%' AND (summary LIKE $1 OR action = 'maintenance.clear') ORDER BY seq DESC LIMIT 2", [`%${reason}%`]);
    expect(audit).toEqual([{ action: "maintenance.clear", actor: ADMIN.email }, { action: "maintenance.set", actor: ADMIN.email }]);
  } finally {
    await page.request.delete("/api/maintenance", { headers: SAME_ORIGIN });
    await page.request.post(`/api/jobs/${job.id}/disable`, { headers: SAME_ORIGIN });
  }
});

test("chains: pick jobs by name in the form, see them on both job pages, a cycle refused, and the chained run links its parent", async ({ page }) => {
  const first = await createJobViaApi(page.request, demoSleepJob(uniqueName("Chain export"), { params: { durationMs: 50, steps: 1 }, schedule: { type: "manual" } }));
  const second = await createJobViaApi(page.request, demoSleepJob(uniqueName("Chain report"), { params: { durationMs: 50, steps: 1 }, schedule: { type: "manual" } }));

  await page.goto(`/jobs/${first.id}`);
  await page.getByRole("button", { name: "Edit" }).click();
  const form = page.getByRole("dialog", { name: `Edit "${first.name}"` });
  await form.getByRole("searchbox", { name: "When a run succeeds, run" }).fill(second.name.slice(0, 14));
  await form.getByRole("button", { name: `Add ${second.name}` }).click();
  await expect(form.getByRole("list", { name: "When a run succeeds, run: chosen jobs" })).toContainText(second.name);
  await form.getByTestId("save-job").click();
  await expect(form).toBeHidden();
  await expect(page.getByTestId("triggers-success")).toContainText(second.name);
  const [stored] = await sql<{ on_success: string[] }>("SELECT on_success::text[] AS on_success FROM jobs WHERE id = $1", [first.id]);
  expect(stored.on_success).toEqual([second.id]);

  await page.getByTestId("triggers-success").getByRole("link", { name: second.name }).click();
  await expect(page).toHaveURL(`/jobs/${second.id}`);
  await expect(page.getByTestId("runs-after-success")).toContainText(first.name);

  // second -> first on failure would close a cycle: refused, naming it.
  await page.getByRole("button", { name: "Edit" }).click();
  const back = page.getByRole("dialog", { name: `Edit "${second.name}"` });
  await back.getByRole("searchbox", { name: "When a run fails for good, run" }).fill(first.name);
  await back.getByRole("button", { name: `Add ${first.name}` }).click();
  await back.getByTestId("save-job").click();
  await expect(back.getByTestId("error-summary")).toContainText("Cycle:");
  await expect(back.getByTestId("error-summary")).toContainText(`"${second.name}" → "${first.name}" → "${second.name}"`);
  await back.getByRole("button", { name: "Cancel" }).click();

  // A run of the first job chains one run of the second, which links back to it.
  await page.goto(`/jobs/${first.id}`);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(toast(page, `Queued a run of "${first.name}"`)).toBeVisible();
  // The page is read once the chained run exists: a run that starts and ends while the page loads,
  // before its event stream connects, is only shown at the next event (a known gap).
  await expect
    .poll(async () => (await sql<{ n: number }>("SELECT count(*)::int AS n FROM executions WHERE job_id = $1 AND trigger = 'chain'", [second.id]))[0].n, { timeout: 20_000 })
    .toBe(1);
  await page.goto(`/jobs/${second.id}?trigger=chain`);
  const chained = page.getByTestId("execution-history").getByRole("row").filter({ hasText: "chain" });
  await expect(chained).toHaveCount(1, { timeout: 20_000 });
  await chained.getByRole("link").first().click();
  const details = page.getByRole("dialog");
  await expect(details.getByTestId("execution-trigger")).toContainText("Chained");
  await details.getByTestId("execution-parent").getByRole("link").click();
  await expect(details.getByRole("link", { name: first.name })).toBeVisible();
  await expect(details.getByTestId("execution-children")).toContainText(second.name);
});
