// Run now, system-managed jobs and the viewer role in the console, checked against the API and
// the database; and the server refusing a viewer's replayed server action, whatever the screen shows.
import { expect, test, type Request } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, createUserWithCli, demoSleepJob, getJobViaApi, jobRow, patchJobViaApi, signIn, toast, uniqueName } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

const RETENTION = "Execution history retention";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

test("run now queues an execution, shows its id, and warns when the job is already running", async ({ page }) => {
  await signIn(page);
  // Long enough to still be queued or running when it is started a second time.
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Run me"), { params: { durationMs: 20_000, steps: 2 }, schedule: { type: "manual" } }));
  // The list filtered to this job: earlier specs add jobs (by name, one more before "Viewed" put
  // its row on page 2), and the row must be on the page whatever they added.
  const onlySeeded = `/jobs?query=${encodeURIComponent(seeded.name)}`;
  await page.goto(onlySeeded);
  const runButton = jobRow(page, seeded.name).getByRole("button", { name: `Run now ${seeded.name}` });

  await runButton.click();

  const queued = toast(page, `Queued a run of "${seeded.name}"`);
  await expect(queued).toBeVisible();
  const executionId = UUID.exec((await queued.textContent()) ?? "")?.[0];
  expect(executionId).toBeDefined();
  const response = await page.request.get(`/api/executions/${executionId}`);
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ id: executionId, jobId: seeded.id, trigger: "manual", triggeredBy: ADMIN.email, jobVersion: 1 });
  // Run now never moves the schedule or changes the job.
  expect((await getJobViaApi(page.request, seeded.id)).job).toMatchObject({ version: 1, nextRunAt: null });

  await runButton.click();
  await expect(toast(page, `"${seeded.name}" was already running`)).toBeVisible();
  const [{ count }] = await sql<{ count: number }>("SELECT count(*)::int AS count FROM executions WHERE job_id = $1 AND trigger = 'manual'", [seeded.id]);
  expect(count).toBe(2);
});

test("a system-managed job opens read-only and offers no changes, and the API refuses them", async ({ page }) => {
  await signIn(page);
  const row = jobRow(page, RETENTION);
  await expect(row.getByTitle("Managed by Tickwork; it cannot be changed")).toBeVisible();
  await expect(row.getByRole("switch")).toHaveCount(0);
  await expect(row.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  await expect(row.getByRole("button", { name: /^Edit/ })).toHaveCount(0);

  const view = row.getByRole("button", { name: `View ${RETENTION}` });
  await view.click();
  const dialog = page.getByRole("dialog", { name: `"${RETENTION}"` });
  await expect(dialog.getByTestId("read-only-notice")).toContainText("Managed by Tickwork; it cannot be changed");
  await expect(dialog.getByLabel("Name", { exact: true })).toBeDisabled();
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue(RETENTION);
  await expect(dialog.getByLabel("Params (JSON)")).toBeDisabled();
  await expect(dialog.getByLabel("Cron expression")).toHaveValue("15 3 * * *");
  await expect(dialog.getByRole("button", { name: /Save|Create/ })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(view).toBeFocused();

  const [retention] = await sql<{ id: string; version: number }>("SELECT id, version FROM jobs WHERE system_key = 'execution-retention'");
  const refused = await patchJobViaApi(page.request, retention.id, { description: "changed" });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("SYSTEM_MANAGED");
  const [after] = await sql<{ version: number }>("SELECT version FROM jobs WHERE id = $1", [retention.id]);
  expect(after.version).toBe(retention.version);
});

test("a viewer sees no mutation controls, and the server refuses a replayed server action", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const seeded = await createJobViaApi(page.request, demoSleepJob(uniqueName("Viewed")));
  // The list filtered to this job: earlier specs add jobs (by name, one more before "Viewed" put
  // its row on page 2), and the row must be on the page whatever they added.
  const onlySeeded = `/jobs?query=${encodeURIComponent(seeded.name)}`;
  await page.goto(onlySeeded);
  // Record the exact request the console sends to disable a job, to replay it with a viewer's session.
  const actionRequest = page.waitForRequest((request) => request.method() === "POST" && request.headers()["next-action"] !== undefined);
  await jobRow(page, seeded.name).getByRole("switch").click();
  const captured: Request = await actionRequest;
  await expect(toast(page, `Disabled "${seeded.name}"`)).toBeVisible();

  const viewer = await createUserWithCli("viewer");
  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await signIn(viewerPage, viewer);
  await expect(viewerPage.getByTestId("current-role")).toHaveText("viewer");
  await viewerPage.goto(onlySeeded);

  const row = jobRow(viewerPage, seeded.name);
  await expect(row).toHaveCount(1);
  await expect(viewerPage.getByRole("button", { name: "New job" })).toHaveCount(0);
  await expect(viewerPage.getByRole("switch")).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: /^(Run now|Edit|Delete)/ })).toHaveCount(0);
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: `View ${seeded.name}` }).click();
  const dialog = viewerPage.getByRole("dialog", { name: `"${seeded.name}"` });
  await expect(dialog.getByTestId("read-only-notice")).toContainText("viewer role");
  await expect(dialog.getByLabel("Name", { exact: true })).toBeDisabled();
  await expect(dialog.getByRole("button", { name: /Save|Create/ })).toHaveCount(0);

  // The same server action, sent with the viewer's cookie, asks to enable the job again.
  const headers = captured.headers();
  const body = (captured.postData() ?? "").replace('"enabled":false', '"enabled":true');
  expect(body).toContain('"enabled":true');
  const replay = await viewerContext.request.post(captured.url(), {
    headers: {
      "next-action": headers["next-action"],
      "next-router-state-tree": headers["next-router-state-tree"] ?? "",
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: BASE_URL,
    },
    data: body,
  });
  const answer = await replay.text();
  expect(answer).toContain('"code":"FORBIDDEN"');
  expect(answer).toContain("This needs the operator role; you have viewer");

  expect((await getJobViaApi(page.request, seeded.id)).job).toMatchObject({ enabled: false, version: 2 });
  // Nothing by the viewer but their sign-in.
  const viewerAudit = await sql<{ action: string }>("SELECT action FROM audit_events WHERE actor = $1", [viewer.email]);
  expect(viewerAudit.map((event) => event.action)).toEqual(["auth.sign_in"]);
  // And the API says the same to the viewer.
  const apiAttempt = await viewerContext.request.post(`/api/jobs/${seeded.id}/enable`, { headers: { origin: BASE_URL } });
  expect(apiAttempt.status()).toBe(403);
  await viewerContext.close();
});
