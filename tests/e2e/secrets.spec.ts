// The Secrets section of Settings (admin) and the job form's write-only credentials: add, replace
// and delete a secret (refused while a job uses it, naming the job), values never on the page and
// stored encrypted; {{secrets.NAME}} offered in the params editor; a hidden header kept on save.
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, SAME_ORIGIN, signIn, toast, uniqueName } from "./support/console";
import { ADMIN } from "./support/settings";

const secretRow = (page: Page, name: string) => page.getByTestId("secrets-section").getByRole("row").filter({ hasText: name });
const uniqueSecret = (prefix: string) => `${prefix}_${crypto.randomUUID().slice(0, 8).toUpperCase().replace(/-/g, "")}`;

test("an admin adds, replaces and deletes a secret; a used one is refused with its jobs named; values never show", async ({ page }) => {
  await signIn(page);
  await page.goto("/settings");
  const name = uniqueSecret("E2E_TOKEN");
  const value = `value-${crypto.randomUUID()}`;

  await page.getByRole("button", { name: "Add secret" }).click();
  const dialog = page.getByRole("dialog", { name: "Add secret" });
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await dialog.getByLabel("Name").fill(name.toLowerCase());
  await expect(dialog.getByLabel("Name")).toHaveValue(name);
  await expect(dialog.getByLabel("Value")).toHaveAttribute("type", "password");
  await dialog.getByLabel("Value").fill(value);
  await dialog.getByRole("button", { name: "Add secret" }).click();
  await expect(toast(page, `Added secret ${name}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(secretRow(page, name)).toContainText("No job");
  await expect(secretRow(page, name)).toContainText(`by ${ADMIN.email}`);
  expect(await page.content()).not.toContain(value);

  const [stored] = await sql<{ ciphertext: Buffer; iv: Buffer }>("SELECT ciphertext, iv FROM secrets WHERE name = $1", [name]);
  expect(stored.ciphertext.toString("latin1")).not.toContain(value);

  // A bad name is refused on its field.
  await page.getByRole("button", { name: "Add secret" }).click();
  await dialog.getByLabel("Name").fill("9LIVES");
  await dialog.getByLabel("Value").fill("x");
  await dialog.getByRole("button", { name: "Add secret" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await page.keyboard.press("Escape");

  // Replace: the name is fixed, the value is new.
  await secretRow(page, name).getByRole("button", { name: `Replace ${name}` }).click();
  const replace = page.getByRole("dialog", { name: `Replace the value of ${name}` });
  await expect(replace.getByLabel("Value")).toBeFocused();
  await replace.getByLabel("Value").fill(`${value}-2`);
  await replace.getByRole("button", { name: "Replace value" }).click();
  await expect(toast(page, `Replaced the value of ${name}`)).toBeVisible();
  const [replaced] = await sql<{ iv: Buffer }>("SELECT iv FROM secrets WHERE name = $1", [name]);
  expect(replaced.iv.equals(stored.iv)).toBe(false);

  // A job uses it: listed on its row and in the delete dialog, and the delete is refused.
  const job = await createJobViaApi(page.request, {
    name: uniqueName("Uses a secret"),
    type: "http.request",
    params: { url: "https://example.test/hook", headers: { Authorization: `Bearer {{secrets.${name}}}` } },
    schedule: { type: "manual" },
  });
  await page.reload();
  await expect(secretRow(page, name).getByRole("link", { name: job.name })).toHaveAttribute("href", `/jobs/${job.id}`);
  await secretRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Delete ${name}?` });
  await expect(confirm.getByTestId("secret-users")).toContainText(job.name);
  await confirm.getByRole("button", { name: "Delete secret" }).click();
  await expect(toast(page, `Could not delete ${name}`)).toBeVisible();
  await expect(toast(page, `Could not delete ${name}`)).toContainText(job.name);
  expect(await sql("SELECT 1 FROM secrets WHERE name = $1", [name])).toHaveLength(1);

  // Once no job uses it, it goes.
  expect((await page.request.delete(`/api/jobs/${job.id}`, { headers: SAME_ORIGIN })).status()).toBe(204);
  await page.reload();
  await secretRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("dialog", { name: `Delete ${name}?` }).getByRole("button", { name: "Delete secret" }).click();
  await expect(toast(page, `Deleted secret ${name}`)).toBeVisible();
  await expect(secretRow(page, name)).toHaveCount(0);
  const actions = await sql<{ action: string; changes: unknown }>("SELECT action, changes FROM audit_events WHERE target_id = $1 ORDER BY seq", [name]);
  expect(actions.map((event) => event.action)).toEqual(["secret.set", "secret.set", "secret.delete"]);
  expect(JSON.stringify(actions)).not.toContain(value);
});

test("the job form shows a hidden header as set (hidden), keeps it on save, replaces it on request, and offers secrets", async ({ page }) => {
  await signIn(page);
  const secret = uniqueSecret("FORM");
  expect((await page.request.put(`/api/secrets/${secret}`, { headers: SAME_ORIGIN, data: { value: "form-secret" } })).status()).toBe(200);
  const job = await createJobViaApi(page.request, {
    name: uniqueName("Hidden header"),
    type: "http.request",
    params: { url: "https://example.test/hook", headers: { Authorization: "Bearer kept-credential", Accept: "text/plain" } },
    schedule: { type: "manual" },
  });
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("job-definition")).not.toContainText("kept-credential");
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Edit "${job.name}"` });
  const hidden = dialog.getByTestId("hidden-credentials");
  await expect(hidden).toContainText("Header Authorization: set (hidden)");
  expect(await dialog.getByLabel("Params (JSON)").inputValue()).not.toContain("kept-credential");

  // Saving another change keeps the stored credential.
  await dialog.getByLabel("Description").fill("Changed, credential kept");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(toast(page, `Saved "${job.name}"`)).toBeVisible();
  const rowParams = async () => (await sql<{ params: { headers: Record<string, string> } }>("SELECT params FROM jobs WHERE id = $1", [job.id]))[0].params;
  expect((await rowParams()).headers.Authorization).toBe("Bearer kept-credential");
  // Closed, so the second save's toast is the only one with this text.
  await toast(page, `Saved "${job.name}"`).getByRole("button", { name: "Close toast" }).click();
  await expect(toast(page, `Saved "${job.name}"`)).toHaveCount(0);

  // Replace puts a typed value in; the secret completion inserts a reference at the caret.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await hidden.getByRole("button", { name: "Replace Header Authorization" }).click();
  await hidden.getByLabel("New value for Header Authorization").fill("Bearer new-credential");
  await hidden.getByRole("button", { name: "Use" }).click();
  await expect(hidden).toHaveCount(0);
  const params = dialog.getByLabel("Params (JSON)");
  await params.fill(JSON.stringify({ url: "https://example.test/hook", headers: { Authorization: "Bearer new-credential", "X-Signed": "{{secrets." } }, null, 2));
  const at = (await params.inputValue()).indexOf("{{secrets.") + "{{secrets.".length;
  await params.evaluate((element: HTMLTextAreaElement, caret) => element.setSelectionRange(caret, caret), at);
  await params.press("ArrowRight");
  await params.press("ArrowLeft");
  await dialog.getByTestId("secret-suggestions").getByRole("button", { name: `{{secrets.${secret}}}` }).click();
  expect(await params.inputValue()).toContain(`"X-Signed": "{{secrets.${secret}}}"`);
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(toast(page, `Saved "${job.name}"`)).toBeVisible();
  await expect.poll(async () => (await rowParams()).headers).toEqual({ Authorization: "Bearer new-credential", "X-Signed": `{{secrets.${secret}}}` });
});
