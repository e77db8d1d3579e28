// The audit page (operator+): events filtered by actor, action and target, compared with
// GET /api/audit and the database; pages, empty state, phone width, and the viewer's refusal.
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { SAME_ORIGIN, createJobViaApi, createUserWithCli, demoSleepJob, expectNoSideScroll, patchJobViaApi, signIn, signedInPage, uniqueName } from "./support/console";
import { ADMIN } from "./support/settings";

interface AuditPage {
  items: { id: string; actor: string; action: string; targetId: string | null }[];
  total: number;
}

async function auditApi(page: Page, query: Record<string, string>): Promise<AuditPage> {
  const response = await page.request.get(`/api/audit?${new URLSearchParams({ pageSize: "200", ...query })}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as AuditPage;
}

/** The ids of the events the table shows, in order. */
const shownIds = (page: Page) => page.locator("tbody tr[data-audit-id]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-audit-id")));

test("events filter by actor, action and target, as GET /api/audit does, with from/to changes", async ({ page, browser }) => {
  test.setTimeout(60_000);
  const operator = await createUserWithCli("operator");
  const theirPage = await signedInPage(browser, operator);
  const job = await createJobViaApi(theirPage.request, demoSleepJob(uniqueName("Audited")));
  expect((await patchJobViaApi(theirPage.request, job.id, { description: "now described" })).status()).toBe(200);
  expect((await theirPage.request.post(`/api/jobs/${job.id}/disable`, { headers: SAME_ORIGIN })).status()).toBe(200);
  await theirPage.context().close();

  await signIn(page);
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();

  // Actor: typed, applied with Enter; focus stays in the field while the events reload.
  const actorField = page.getByLabel("Actor");
  await actorField.fill(operator.email);
  await actorField.press("Enter");
  await expect(page).toHaveURL(`/audit?actor=${encodeURIComponent(operator.email)}`);
  // Their sign-in and their three changes.
  await expect(page.getByTestId("audit-count")).toHaveText("4 events match the filters");
  await expect(actorField).toBeFocused();
  const byActor = await auditApi(page, { actor: operator.email });
  expect(byActor.items.map((event) => event.action).sort()).toEqual(["auth.sign_in", "job.create", "job.disable", "job.update"]);
  expect(await shownIds(page)).toEqual(byActor.items.map((event) => event.id));
  await expect(page.locator("tbody tr").first().locator("td").nth(1)).toHaveText(operator.email);

  // Action: a select that applies at once, on top of the actor.
  await page.getByLabel("Action").selectOption("job.update");
  await expect(page).toHaveURL(/action=job\.update/);
  await expect(page.getByTestId("audit-count")).toHaveText("1 event matches the filters");
  const update = page.locator("tbody tr[data-action='job.update']");
  await expect(update).toHaveCount(1);
  const [stored] = await sql<{ id: string }>("SELECT id FROM audit_events WHERE actor = $1 AND action = 'job.update'", [operator.email]);
  await expect(update).toHaveAttribute("data-audit-id", stored.id);
  // The change, expanded from the keyboard.
  const changes = update.getByText("1 field changed");
  await changes.focus();
  await page.keyboard.press("Enter");
  const diff = update.getByRole("table", { name: "Changed fields" });
  await expect(diff.getByRole("row", { name: /description/ })).toContainText('null"now described"');
  // The target links to the job, which still exists.
  await expect(update.getByRole("link", { name: job.name })).toHaveAttribute("href", `/jobs/${job.id}`);

  // Target: picked from the jobs, with no other filter.
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/audit$/);
  await page.getByLabel("Target job").selectOption({ label: job.name });
  await expect(page).toHaveURL(`/audit?targetId=${job.id}`);
  await expect(page.getByLabel("Target id")).toHaveValue(job.id);
  const byTarget = await auditApi(page, { targetId: job.id });
  expect(byTarget.items.map((event) => event.action).sort()).toEqual(["job.create", "job.disable", "job.update"]);
  await expect(page.getByTestId("audit-count")).toHaveText("3 events match the filters");
  expect(await shownIds(page)).toEqual(byTarget.items.map((event) => event.id));
});

test("pages through many events, and says so when nothing matches", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const operator = await createUserWithCli("operator");
  const theirPage = await signedInPage(browser, operator);
  const job = await createJobViaApi(theirPage.request, demoSleepJob(uniqueName("Paged")));
  // A sign-in, 1 create and 26 enable/disable changes = 28 events: two pages of 25.
  for (let index = 0; index < 13; index += 1) {
    expect((await theirPage.request.post(`/api/jobs/${job.id}/disable`, { headers: SAME_ORIGIN })).status()).toBe(200);
    expect((await theirPage.request.post(`/api/jobs/${job.id}/enable`, { headers: SAME_ORIGIN })).status()).toBe(200);
  }
  await theirPage.context().close();

  await signIn(page);
  await page.goto(`/audit?actor=${encodeURIComponent(operator.email)}`);
  await expect(page.getByTestId("pager-status")).toHaveText("Showing 1-25 of 28 · page 1 of 2");
  const api = await auditApi(page, { actor: operator.email, pageSize: "25", page: "2" });
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId("pager-status")).toHaveText("Showing 26-28 of 28 · page 2 of 2");
  expect(await shownIds(page)).toEqual(api.items.map((event) => event.id));

  await page.goto(`/audit?actor=${encodeURIComponent(`nobody-${job.id}@tickwork.test`)}&action=job.delete`);
  await expect(page.getByTestId("empty-state")).toContainText("No audit events match these filters.");
  await expect(page.getByTestId("audit-count")).toHaveText("0 events match the filters");
  await expect(page.getByRole("table")).toHaveCount(0);

  // A bad value is dropped and reported, not a crash.
  await page.goto("/audit?page=zero");
  await expect(page.getByText("Ignored filters that are not valid: page=zero.")).toBeVisible();
});

test("a viewer is not allowed in the audit log: no link, no data", async ({ page }) => {
  const viewer = await createUserWithCli("viewer");
  await signIn(page, viewer);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.getByTestId("not-allowed")).toContainText("The audit log needs the operator role; you have viewer.");
  await expect(page.getByRole("table")).toHaveCount(0);
  expect(await page.content()).not.toContain(ADMIN.email);
  expect((await page.request.get("/api/audit")).status()).toBe(403);
});

test("the audit log at 390 px: no sideways page scroll; the table scrolls in its frame", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto("/audit");
  await expect(page.locator("tbody tr").first()).toBeVisible();
  await expectNoSideScroll(page);
  const frame = page.locator(".audit-view > .table-wrap");
  const { scrollWidth, clientWidth } = await frame.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  await page.getByLabel("Action").selectOption("user.create");
  await expect(page).toHaveURL(/action=user\.create/);
  await expectNoSideScroll(page);
});
