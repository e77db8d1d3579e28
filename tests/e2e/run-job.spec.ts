// "Run job" (an ad-hoc run of a handler) through the real server: bad JSON never leaves the
// browser, bad params come back as an inline error from the handler's schema, a good run toasts
// its id (checked with the API), a second one warns without refusing, and viewers get no button.
import { expect, test, type Page, type Request } from "@playwright/test";
import { sql } from "./support/db";
import { createUserWithCli, expectNoSideScroll, signIn, toast } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function adHocRuns(): Promise<number> {
  const [{ count }] = await sql<{ count: number }>("SELECT count(*)::int AS count FROM executions WHERE job_id IS NULL AND type = 'demo.sleep'");
  return count;
}

/** Every server action the page sends from now on. */
function recordServerActions(page: Page): Request[] {
  const sent: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["next-action"]) sent.push(request);
  });
  return sent;
}

async function openRunJob(page: Page) {
  const button = page.getByRole("button", { name: "Run job" });
  await button.click();
  const dialog = page.getByRole("dialog", { name: "Run job" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Handler")).toBeFocused();
  await dialog.getByLabel("Handler").selectOption("demo.sleep");
  return { button, dialog, params: dialog.getByLabel("Params (JSON)") };
}

test.afterAll(async ({ request }) => {
  // Leave no long ad-hoc runs behind for the other specs.
  const active = await sql<{ id: string }>("SELECT id FROM executions WHERE job_id IS NULL AND status IN ('QUEUED', 'RUNNING')");
  for (const { id } of active) await request.post(`/api/executions/${id}/cancel`, { headers: { origin: BASE_URL } }).catch(() => undefined);
});

test("bad JSON is caught before sending; bad params come back inline from the server", async ({ page }) => {
  await signIn(page);
  const before = await adHocRuns();
  const { dialog, params } = await openRunJob(page);
  await expect(dialog).toContainText("Sleeps for a while");
  await expect(params).toHaveValue(/"durationMs": 5000/);

  const sent = recordServerActions(page);
  await params.fill('{\n  "durationMs": 100,\n}');
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await expect(dialog.getByText(/Not valid JSON: Line 3, column 1/)).toBeVisible();
  await expect(params).toHaveAttribute("aria-invalid", "true");
  await expect(params).toBeFocused();
  expect(sent).toHaveLength(0);
  expect(await adHocRuns()).toBe(before);

  await params.fill('{ "durationMs": -5, "steps": 2 }');
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await expect(dialog.locator("#run-job-params-error")).toContainText("durationMs:");
  await expect(params).toHaveAttribute("aria-invalid", "true");
  expect(sent).toHaveLength(1);
  expect(await adHocRuns()).toBe(before);

  // Editing clears the error; "Load defaults" puts the handler's defaults back.
  await dialog.getByRole("button", { name: "Load defaults" }).click();
  await expect(params).toHaveValue('{\n  "durationMs": 5000,\n  "steps": 5\n}');
  await expect(params).not.toHaveAttribute("aria-invalid");
  await dialog.getByRole("button", { name: "Use example: Fail after two seconds" }).click();
  await expect(params).toHaveValue(/"fail": true/);

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Run job" })).toBeFocused();
  expect(await adHocRuns()).toBe(before);
});

test("a run toasts its id, a second one warns without refusing, and View opens it", async ({ page }) => {
  await signIn(page);
  const before = await adHocRuns();
  const { button, dialog, params } = await openRunJob(page);
  await params.fill('{ "durationMs": 30000, "steps": 30 }');
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();

  const queued = toast(page, "Queued a demo.sleep run").first();
  await expect(queued).toBeVisible();
  const firstId = UUID.exec((await queued.textContent()) ?? "")?.[0];
  expect(firstId).toBeDefined();
  const response = await page.request.get(`/api/executions/${firstId}`);
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ id: firstId, jobId: null, type: "demo.sleep", trigger: "manual", triggeredBy: ADMIN.email, params: { durationMs: 30000, steps: 30 } });

  // The same handler again while the first run is active: queued anyway, with a warning.
  await button.click();
  await dialog.getByLabel("Handler").selectOption("demo.sleep");
  await params.fill('{ "durationMs": 30000, "steps": 30 }');
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, "demo.sleep was already running")).toBeVisible();
  expect(await adHocRuns()).toBe(before + 2);
  const [newest] = await sql<{ id: string }>("SELECT id::text FROM executions WHERE job_id IS NULL AND type = 'demo.sleep' ORDER BY queued_at DESC LIMIT 1");
  expect(newest.id).not.toBe(firstId);

  const second = toast(page, newest.id);
  await second.getByRole("button", { name: "View" }).click();
  await expect(page).toHaveURL(new RegExp(`execution=${newest.id}`));
  const details = page.getByRole("dialog", { name: "Ad-hoc demo.sleep run" });
  await expect(details.getByTestId("execution-id")).toHaveText(newest.id);
  await expect(details.getByTestId("execution-trigger")).toContainText(ADMIN.email);
});

test("a viewer gets no Run job button", async ({ page }) => {
  const viewer = await createUserWithCli("viewer");
  await signIn(page, viewer);
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Run job" })).toHaveCount(0);
});

test("the modal fits a 390 px phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signIn(page);
  const { dialog } = await openRunJob(page);
  await expect(dialog.getByRole("button", { name: "Run", exact: true })).toBeInViewport();
  await expectNoSideScroll(dialog);
  await expectNoSideScroll(page);
});
