// Settings in the console (admin): users and API tokens, checked against sign-in, the API and the
// database; and the refusal an operator gets.
import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, createUserWithCli, demoSleepJob, expectNoSideScroll, jobRow, signIn, signedInPage, toast, uniqueName } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

const userRow = (page: Page, email: string) => page.getByTestId("users-section").getByRole("row").filter({ hasText: email });
const tokenRow = (page: Page, name: string) => page.getByTestId("tokens-section").getByRole("row").filter({ hasText: name });

test("an admin adds a user who can then sign in; a taken email is refused on its field", async ({ page, browser }) => {
  await signIn(page);
  await page.goto("/settings");
  const email = `${uniqueName("added", "-")}@tickwork.test`;
  const addButton = page.getByRole("button", { name: "Add user" });

  await addButton.click();
  const dialog = page.getByRole("dialog", { name: "Add user" });
  await expect(dialog.getByLabel("Email")).toBeFocused();
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Name").fill("Added Person");
  await dialog.getByLabel("Role").selectOption("operator");
  await dialog.getByRole("button", { name: "Generate" }).click();
  const password = await dialog.getByLabel("Initial password").inputValue();
  expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
  await expect(dialog.getByLabel("Initial password")).toHaveAttribute("type", "text");
  await dialog.getByRole("button", { name: "Add user" }).click();

  await expect(toast(page, `Created user ${email} (operator)`)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(addButton).toBeFocused();
  const row = userRow(page, email);
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("operator");
  await expect(row.getByText("Never")).toBeVisible();
  const [stored] = await sql<{ role: string; name: string; disabled: boolean }>("SELECT role, name, disabled FROM users WHERE email = $1", [email]);
  expect(stored).toEqual({ role: "operator", name: "Added Person", disabled: false });
  const [created] = await sql<{ actor: string }>("SELECT a.actor FROM audit_events a JOIN users u ON u.id::text = a.target_id WHERE u.email = $1 AND a.action = 'user.create'", [email]);
  expect(created.actor).toBe(ADMIN.email);

  // The new user really signs in, with the role they were given.
  const theirPage = await signedInPage(browser, { email, password });
  await expect(theirPage.getByTestId("current-role")).toHaveText("operator");
  await theirPage.context().close();

  // The same email again: refused, and the error sits on the email field.
  await addButton.click();
  await dialog.getByLabel("Email").fill(email.toUpperCase());
  await dialog.getByLabel("Initial password").fill("another password 123");
  await dialog.getByRole("button", { name: "Add user" }).click();
  const emailField = dialog.getByLabel("Email");
  await expect(emailField).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.locator("#user-email-error")).toHaveText(`⚠ A user with email ${email} already exists`);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(addButton).toBeFocused();
  const [{ count }] = await sql<{ count: number }>("SELECT count(*)::int AS count FROM users WHERE email = $1", [email]);
  expect(count).toBe(1);
});

test("a role change takes effect at once: a demoted operator loses the run controls and the API refuses them", async ({ page, browser }) => {
  const operator = await createUserWithCli("operator");
  await signIn(page);
  const job = await createJobViaApi(page.request, demoSleepJob(uniqueName("Demotion"), { schedule: { type: "manual" } }));
  const theirPage = await signedInPage(browser, operator);
  await expect(jobRow(theirPage, job.name).getByRole("button", { name: `Run now ${job.name}` })).toBeVisible();

  await page.goto("/settings");
  const row = userRow(page, operator.email);
  const select = row.getByLabel(`Role of ${operator.email}`);
  // Picking a role (as arrow keys on a closed select do) saves nothing until "Save".
  await select.selectOption("viewer");
  const save = row.getByRole("button", { name: `Save role of ${operator.email}` });
  await expect(save).toBeVisible();
  expect((await sql<{ role: string }>("SELECT role FROM users WHERE email = $1", [operator.email]))[0].role).toBe("operator");
  await save.click();
  await expect(toast(page, `${operator.email} is now a viewer`)).toBeVisible();
  await expect(page.getByTestId("live-region")).toHaveText(`${operator.email} is now a viewer`);
  await expect(select).toHaveValue("viewer");
  await expect(select).toBeFocused();
  await expect(save).toHaveCount(0);
  const [stored] = await sql<{ role: string }>("SELECT role FROM users WHERE email = $1", [operator.email]);
  expect(stored.role).toBe("viewer");
  const [event] = await sql<{ actor: string; changes: unknown }>(
    "SELECT a.actor, a.changes FROM audit_events a JOIN users u ON u.id::text = a.target_id WHERE u.email = $1 AND a.action = 'user.update'",
    [operator.email],
  );
  expect(event).toEqual({ actor: ADMIN.email, changes: { role: { from: "operator", to: "viewer" } } });

  // Their open session follows at once: no run controls, and the API says no.
  await theirPage.reload();
  await expect(theirPage.getByTestId("current-role")).toHaveText("viewer");
  await expect(jobRow(theirPage, job.name)).toHaveCount(1);
  await expect(theirPage.getByRole("button", { name: /^Run now/ })).toHaveCount(0);
  const refused = await theirPage.request.post(`/api/jobs/${job.id}/run`, { headers: { origin: BASE_URL } });
  expect(refused.status()).toBe(403);
  await theirPage.context().close();
});

test("disabling a user asks first, ends their session and stops their sign-in; your own row cannot be changed", async ({ page, browser }) => {
  const viewer = await createUserWithCli("viewer");
  const theirPage = await signedInPage(browser, viewer);
  await signIn(page);
  await page.goto("/settings");

  const ownRow = userRow(page, ADMIN.email);
  await expect(ownRow.getByLabel(`Role of ${ADMIN.email}`)).toBeDisabled();
  await expect(ownRow).toContainText("you cannot change your own role or disable yourself");
  await expect(ownRow.getByRole("button", { name: /^(Disable|Enable)/ })).toHaveCount(0);

  const row = userRow(page, viewer.email);
  const disable = row.getByRole("button", { name: `Disable ${viewer.email}` });
  await disable.click();
  const confirm = page.getByRole("dialog", { name: `Disable ${viewer.email}?` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Disable user" }).click();
  await expect(toast(page, `Disabled ${viewer.email}`)).toBeVisible();
  await expect(row.locator(".badge")).toHaveText(/Disabled$/);
  const enable = row.getByRole("button", { name: `Enable ${viewer.email}` });
  await expect(enable).toBeFocused();
  const [stored] = await sql<{ disabled: boolean }>("SELECT disabled FROM users WHERE email = $1", [viewer.email]);
  expect(stored.disabled).toBe(true);

  // Their open session ends, and signing in again is refused.
  await theirPage.goto("/jobs");
  await expect(theirPage).toHaveURL(/\/login/);
  await theirPage.getByLabel("Email").fill(viewer.email);
  await theirPage.getByLabel("Password").fill(viewer.password);
  await theirPage.getByRole("button", { name: "Sign in" }).click();
  await expect(theirPage.getByText("Wrong email or password.")).toBeVisible();
  expect((await theirPage.request.get("/api/jobs")).status()).toBe(401);

  // And back: enabled again, they can sign in.
  await enable.click();
  await page.getByRole("dialog", { name: `Enable ${viewer.email}?` }).getByRole("button", { name: "Enable user" }).click();
  await expect(toast(page, `Enabled ${viewer.email}`)).toBeVisible();
  await expect(row.locator(".badge")).toHaveText(/Active$/);
  await theirPage.context().close();
  await (await signedInPage(browser, viewer)).context().close();
});

test("an API token is shown once with a copy button, opens the API, and is refused once revoked", async ({ page, context, playwright }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
  await signIn(page);
  await page.goto("/settings");
  const name = uniqueName("e2e-token", "-");
  const createButton = page.getByRole("button", { name: "Create token" });

  await createButton.click();
  const form = page.getByRole("dialog", { name: "Create API token" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Role").selectOption("operator");
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("dialog", { name: `Token "${name}" created` });
  await expect(shown).toContainText("this token is shown only once");
  const field = shown.getByTestId("new-token");
  await expect(field).toHaveAttribute("readonly", "");
  const token = await field.inputValue();
  expect(token).toMatch(/^tw_[A-Za-z0-9_-]{40,}$/);
  await shown.getByRole("button", { name: "Copy the token" }).click();
  await expect(toast(page, "Copied the token")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();
  await expect(createButton).toBeFocused();

  // Shown once: not on the page any more, and only its hash is stored.
  expect(await page.content()).not.toContain(token);
  const row = tokenRow(page, name);
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row.locator(".badge")).toHaveText(/Active$/);
  const [stored] = await sql<{ id: string; role: string; token_hash: string }>("SELECT id, role, token_hash FROM api_tokens WHERE name = $1", [name]);
  expect(stored.role).toBe("operator");
  expect(stored.token_hash).toBe(crypto.createHash("sha256").update(token).digest("hex"));

  // A client with no cookies at all: the token alone opens the API, with its role.
  const client = await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await client.get("/api/jobs")).status()).toBe(200);
  expect((await client.post("/api/jobs", { data: demoSleepJob(uniqueName("Token job")) })).status()).toBe(201);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke "${name}"?` });
  await expect(confirm).toContainText(token.slice(0, 10));
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(toast(page, `Revoked API token "${name}"`)).toBeVisible();
  await expect(row.locator(".badge")).toHaveText(/Revoked$/);
  await expect(row.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
  // Focus stays on the row: its status, now "Revoked".
  await expect(row.locator(".cell-status")).toBeFocused();
  const refused = await client.get("/api/jobs");
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("UNAUTHENTICATED");
  await client.dispose();

  const events = await sql<{ action: string; actor: string }>("SELECT action, actor FROM audit_events WHERE target_id = $1 ORDER BY seq", [stored.id]);
  expect(events).toEqual([
    { action: "token.create", actor: ADMIN.email },
    { action: "token.revoke", actor: ADMIN.email },
  ]);
});

test("an operator is not allowed in settings: no link, no data", async ({ page }) => {
  const operator = await createUserWithCli("operator");
  await signIn(page, operator);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByTestId("not-allowed")).toContainText("Settings needs the admin role; you have operator.");
  await expect(page.getByRole("table")).toHaveCount(0);
  expect(await page.content()).not.toContain(ADMIN.email);
  await expect(page.getByRole("button", { name: /Add user|Create token/ })).toHaveCount(0);
});

test("settings at 390 px: no sideways page scroll, the tables scroll in their frame, modals fit", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto("/settings");
  // The loading skeleton has the same headings: wait for the users themselves.
  await expect(page.getByTestId("users-section").getByRole("table")).toBeVisible();
  await expectNoSideScroll(page);
  const frame = page.getByTestId("users-section").locator(".table-wrap");
  const { scrollWidth, clientWidth } = await frame.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add user" });
  await dialog.getByRole("button", { name: "Generate" }).click();
  await expect(dialog.getByRole("button", { name: "Copy the password" })).toBeVisible();
  await expectNoSideScroll(page);
  const box = await dialog.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});
