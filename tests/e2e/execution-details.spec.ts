// The execution details modal through the real server: opened from a job's history (and by deep
// link), its facts checked against the API, a large result shown whole on request, copy id,
// re-run with the same params, a live cancel, focus back on the link, and viewers read-only.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { SAME_ORIGIN, createJobViaApi, createUserWithCli, demoSleepJob, expectNoSideScroll, runNowViaApi, signIn, uniqueName } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

interface ExecutionJson {
  id: string;
  jobId: string | null;
  jobVersion: number | null;
  status: string;
  params: Record<string, unknown>;
  result: unknown;
  trigger: string;
  triggeredBy: string;
}

async function executionViaApi(request: APIRequestContext, id: string): Promise<ExecutionJson> {
  const response = await request.get(`/api/executions/${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ExecutionJson;
}

async function waitForStatus(request: APIRequestContext, id: string, status: string): Promise<ExecutionJson> {
  await expect.poll(async () => (await executionViaApi(request, id)).status, { timeout: 20_000 }).toBe(status);
  return executionViaApi(request, id);
}

const historyLink = (page: Page, executionId: string) => page.locator(`[data-execution-id="${executionId}"]`).getByRole("link", { name: /Details of run/ });
const detailsDialog = (page: Page, jobName: string) => page.getByRole("dialog", { name: `Run of "${jobName}"` });

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test("opens a run from the job's history: facts match the API, a large result shows whole, copy id, focus returns", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
  // The app's own OpenAPI document is a large response body: the result is over 16 KB.
  const job = await createJobViaApi(page.request, {
    name: uniqueName("Big result"),
    type: "http.request",
    params: { url: `${BASE_URL}/api/openapi.json` },
    schedule: { type: "manual" },
  });
  const executionId = await runNowViaApi(page.request, job.id);
  const api = await waitForStatus(page.request, executionId, "SUCCEEDED");

  await page.goto(`/jobs/${job.id}`);
  const link = historyLink(page, executionId);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${job.id}\\?execution=${executionId}$`));
  const dialog = detailsDialog(page, job.name);
  await expect(dialog.getByTestId("execution-id")).toHaveText(executionId);
  await expect(dialog.getByTestId("execution-status")).toHaveText(/Succeeded/);
  await expect(dialog.getByTestId("execution-trigger")).toHaveText(`Manually by ${api.triggeredBy}`);
  await expect(dialog.getByRole("link", { name: job.name })).toHaveAttribute("href", `/jobs/${job.id}`);
  await expect(dialog).toContainText(`version ${api.jobVersion}`);
  const timeline = dialog.getByTestId("execution-timeline");
  await expect(timeline.locator('[data-entry="started"]')).toContainText("after it was due");
  await expect(timeline.locator('[data-entry="finished"]')).toContainText("took");
  await expect(dialog.getByTestId("execution-params")).toContainText(`"url": "${BASE_URL}/api/openapi.json"`);

  const result = dialog.getByTestId("execution-result");
  const whole = JSON.stringify(api.result, null, 2);
  const shown = () => result.locator("pre").evaluate((element) => element.textContent ?? "");
  expect((await shown()).length).toBeLessThan(whole.length / 2);
  await result.getByRole("button", { name: /^Show all \(\d+\.\d KB\)$/ }).click();
  await expect(result.getByRole("button", { name: "Show less" })).toHaveAttribute("aria-expanded", "true");
  expect(await shown()).toBe(whole);

  await dialog.getByRole("button", { name: "Copy id" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(executionId);

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(`/jobs/${job.id}`);
  await expect(link).toBeFocused();
  // Closing stepped back over the entry opening pushed: Back leaves the page, it does not reopen the run.
  await page.goBack();
  await expect(page).not.toHaveURL(/execution=/);
  await expect(dialog).toHaveCount(0);
});

test("re-run queues the same params for the same job, and the modal switches to the new run", async ({ page }) => {
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Re-run"), { params: { durationMs: 150, steps: 1 }, schedule: { type: "manual" } }));
  // The run's params differ from the job's: a re-run repeats the run, not the job's current params.
  const override = await page.request.post(`/api/jobs/${job.id}/run`, { headers: SAME_ORIGIN, data: { params: { durationMs: 250 } } });
  expect(override.status()).toBe(202);
  const original = ((await override.json()) as { execution: ExecutionJson }).execution;
  await waitForStatus(page.request, original.id, "SUCCEEDED");

  // A deep link opens the modal without a click.
  await page.goto(`/jobs/${job.id}?execution=${original.id}`);
  const dialog = detailsDialog(page, job.name);
  await expect(dialog.getByTestId("execution-id")).toHaveText(original.id);
  await dialog.getByRole("button", { name: "Re-run with same params" }).click();
  const notice = dialog.getByTestId("rerun-notice");
  await expect(notice).toContainText("Queued a new run");
  const newId = /[0-9a-f-]{36}/.exec((await notice.locator("code").textContent()) ?? "")?.[0] ?? "";
  expect(newId).not.toBe(original.id);

  const rerun = await executionViaApi(page.request, newId);
  expect(rerun).toMatchObject({ jobId: job.id, trigger: "manual", triggeredBy: ADMIN.email, params: original.params });
  expect(rerun.params).toMatchObject({ durationMs: 250, steps: 1 });

  await notice.getByRole("button", { name: "View the new run" }).click();
  await expect(page).toHaveURL(new RegExp(`execution=${newId}`));
  await expect(dialog.getByTestId("execution-id")).toHaveText(newId);
  await expect(dialog.getByTestId("rerun-notice")).toHaveCount(0);
  // It was short: the open modal follows it to the end through the live events.
  await expect(dialog.getByTestId("execution-status")).toHaveText(/Succeeded/, { timeout: 20_000 });
  await expect(dialog.getByTestId("execution-result")).toContainText('"sleptMs": 250');

  // Close ends at the job page, not at the deep-linked first run.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(`/jobs/${job.id}`);
});

test("cancel from the modal stops a running execution; progress and status follow live", async ({ page }) => {
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Cancel me"), { params: { durationMs: 60_000, steps: 120 }, schedule: { type: "manual" } }));
  const executionId = await runNowViaApi(page.request, job.id);
  await page.goto(`/jobs/${job.id}`);
  await historyLink(page, executionId).click();
  const dialog = detailsDialog(page, job.name);
  await expect(dialog.getByTestId("execution-status")).toHaveText(/Running/, { timeout: 20_000 });
  await expect(dialog.getByTestId("execution-progress")).toContainText(/[1-9]\d*%/, { timeout: 20_000 });

  await dialog.getByRole("button", { name: "Cancel run" }).click();
  const cancel = dialog.getByTestId("cancel-execution");
  await expect(cancel).toHaveText(/Stopping…|Cancelled/);
  await expect(dialog.getByTestId("execution-status")).toHaveText(/Cancelled/, { timeout: 20_000 });
  await expect(cancel).toHaveText("Cancelled");
  await expect(cancel).toHaveAttribute("aria-disabled", "true");
  await expect(dialog.getByTestId("execution-error")).toContainText("CANCELLED");

  expect(await executionViaApi(page.request, executionId)).toMatchObject({ status: "CANCELLED" });
  const audit = await sql<{ actor: string }>("SELECT actor FROM audit_events WHERE action = 'execution.cancel' AND target_id = $1", [executionId]);
  expect(audit).toEqual([{ actor: ADMIN.email }]);
});

test("a viewer sees the details without controls; an unknown id says so; it fits 390 px", async ({ page }) => {
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Viewed run"), { schedule: { type: "manual" } }));
  const executionId = await runNowViaApi(page.request, job.id);
  const viewer = await createUserWithCli("viewer");
  await page.context().clearCookies();
  await signIn(page, viewer);
  await page.setViewportSize({ width: 390, height: 800 });

  await page.goto(`/jobs/${job.id}?execution=${executionId}`);
  const dialog = detailsDialog(page, job.name);
  await expect(dialog.getByTestId("execution-id")).toHaveText(executionId);
  await expect(dialog.getByRole("button", { name: "Copy id" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: /Re-run|Cancel run/ })).toHaveCount(0);
  await expectNoSideScroll(dialog);
  await dialog.getByRole("button", { name: "Close" }).last().click();
  await expect(dialog).toBeHidden();

  await page.goto(`/jobs/${job.id}?execution=00000000-0000-4000-8000-000000000000`);
  await expect(page.getByRole("dialog", { name: "Execution" }).getByTestId("execution-missing")).toBeVisible();
});
