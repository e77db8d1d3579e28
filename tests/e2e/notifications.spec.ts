// Settings → Notifications against a local webhook receiver on 127.0.0.1: an admin adds a channel
// for one job (the secret shown once), a refused URL is marked on its field, "Send test" shows the
// endpoint's answer (200, then a 500 after an edit), a failing run's delivery shows its error in the
// delivery log, Retry sends it again once the endpoint works, disable and delete; the job page
// lists the channel. Screen and database are both checked.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { createJobViaApi, SAME_ORIGIN, signIn, toast, uniqueName } from "./support/console";

interface Received {
  path: string;
  body: string;
  signature: string;
}

let server: http.Server;
let base: string;
const received: Received[] = [];

test.beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body: Buffer.concat(chunks).toString(), signature: String(request.headers["tickwork-signature"] ?? "") });
      if (request.url === "/down") return void response.writeHead(500, { "content-type": "text/plain" }).end("receiver is down");
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const section = (page: Page) => page.getByTestId("notifications-section");
const channelRow = (page: Page, name: string) => section(page).getByRole("row").filter({ hasText: name });

const signatureValid = (entry: Received, secret: string) => {
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(entry.signature) ?? [];
  return Boolean(t) && crypto.createHmac("sha256", secret).update(`${t}.${entry.body}`).digest("hex") === v1;
};

test("an admin adds a channel, tests it, sees a failed delivery, retries it, disables and deletes the channel", async ({ page }) => {
  test.setTimeout(90_000);
  const job = await (async () => {
    await signIn(page);
    return createJobViaApi(page.request, {
      name: uniqueName("Notified job"),
      type: "demo.sleep",
      params: { durationMs: 0, steps: 1, fail: true, failMessage: "the report broke" },
      schedule: { type: "manual" },
    });
  })();
  const name = uniqueName("Ops hook");
  await page.goto("/settings");

  // A URL the outbound policy refuses is marked on its field.
  await section(page).getByRole("button", { name: "Add channel" }).click();
  const dialog = page.getByRole("dialog", { name: "Add channel" });
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("URL").fill("http://127.0.0.2/hook");
  await dialog.getByRole("checkbox", { name: /^recovered/ }).check();
  await dialog.getByRole("radio", { name: "Only these jobs" }).check();
  await dialog.getByLabel("Find a job").fill(job.name);
  await dialog.getByRole("checkbox", { name: job.name }).check();
  await dialog.getByRole("button", { name: "Add channel" }).click();
  await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog).toContainText("refused by the outbound HTTP policy");

  // Fixed: added, and the secret is shown once.
  await dialog.getByLabel("URL").fill(`${base}/ok`);
  await dialog.getByRole("button", { name: "Add channel" }).click();
  await expect(toast(page, `Added channel "${name}"`)).toBeVisible();
  const created = page.getByRole("dialog", { name: `Channel "${name}" added` });
  const secret = await created.getByTestId("channel-secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await created.getByRole("button", { name: "Done" }).click();
  await expect(channelRow(page, name)).toContainText(job.name);
  await expect(channelRow(page, name)).toContainText("failed, recovered, paused");
  const [row] = await sql<{ id: string; events: string[]; job_ids: string[]; all_jobs: boolean }>(
    "SELECT id, events, job_ids::text[] AS job_ids, all_jobs FROM notification_channels WHERE name = $1",
    [name],
  );
  expect(row).toMatchObject({ events: ["failed", "recovered", "paused"], job_ids: [job.id], all_jobs: false });
  expect(await page.content()).not.toContain(secret);

  // Send test: the endpoint's status, and a request signed with that secret.
  await channelRow(page, name).getByRole("button", { name: `Send test to ${name}` }).click();
  await expect(section(page).getByTestId("test-result")).toContainText("Test delivered");
  await expect(section(page).getByTestId("test-result")).toContainText("the endpoint answered 200");
  const testRequest = received.filter((entry) => entry.path === "/ok").at(-1)!;
  expect(JSON.parse(testRequest.body)).toMatchObject({ event: "test" });
  expect(signatureValid(testRequest, secret)).toBe(true);

  // Edit to a failing endpoint: the test shows the 500 and its body.
  await channelRow(page, name).getByRole("button", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit channel "${name}"` });
  await edit.getByLabel("URL").fill(`${base}/down`);
  await edit.getByRole("button", { name: "Save channel" }).click();
  await expect(toast(page, `Saved channel "${name}"`)).toBeVisible();
  // Closed, so the next save's toast is the only one with this text.
  await toast(page, `Saved channel "${name}"`).getByRole("button", { name: "Close toast" }).click();
  await expect(toast(page, `Saved channel "${name}"`)).toHaveCount(0);
  await channelRow(page, name).getByRole("button", { name: `Send test to ${name}` }).click();
  await expect(section(page).getByTestId("test-result")).toContainText("Test failed");
  await expect(section(page).getByTestId("test-result")).toContainText("The endpoint answered 500: receiver is down");

  // The job fails: its delivery is written with the failure, and its error shows in the log.
  const run = await page.request.post(`/api/jobs/${job.id}/run`, { headers: SAME_ORIGIN });
  expect(run.status()).toBe(202);
  await expect
    .poll(async () => (await sql<{ attempts: number }>("SELECT attempts FROM notification_deliveries WHERE channel_id = $1 AND event = 'failed'", [row.id]))[0]?.attempts ?? 0, { timeout: 20_000 })
    .toBeGreaterThan(0);
  await channelRow(page, name).getByRole("button", { name: `Deliveries of ${name}` }).click();
  const log = section(page).getByTestId("delivery-log");
  const failedRow = log.getByRole("row").filter({ hasText: `${job.name} failed (HANDLER_ERROR: the report broke)` });
  await expect(failedRow).toContainText("The endpoint answered 500: receiver is down");
  await expect(log.getByRole("row").filter({ hasText: "Test notification from Tickwork" })).toHaveCount(2);

  // After its last attempt it is failed (five attempts take minutes; the database says so here), and Retry sends it again.
  await sql("UPDATE notification_deliveries SET status = 'failed', attempts = 5 WHERE channel_id = $1 AND event = 'failed'", [row.id]);
  await channelRow(page, name).getByRole("button", { name: `Edit ${name}` }).click();
  await edit.getByLabel("URL").fill(`${base}/ok`);
  await edit.getByRole("button", { name: "Save channel" }).click();
  await expect(toast(page, `Saved channel "${name}"`)).toBeVisible();
  await log.getByRole("button", { name: /^Refresh/ }).click();
  await expect(failedRow).toContainText("Failed");
  await failedRow.getByRole("button", { name: /^Retry/ }).click();
  await expect(toast(page, "Delivery queued again")).toBeVisible();
  await expect
    .poll(async () => (await sql<{ status: string }>("SELECT status FROM notification_deliveries WHERE channel_id = $1 AND event = 'failed'", [row.id]))[0].status, { timeout: 20_000 })
    .toBe("delivered");
  await log.getByRole("button", { name: /^Refresh/ }).click();
  await expect(failedRow).toContainText("Delivered (200)");
  const delivered = received.filter((entry) => entry.path === "/ok" && JSON.parse(entry.body).event === "failed").at(-1)!;
  expect(JSON.parse(delivered.body)).toMatchObject({ job: { id: job.id }, execution: { error: { code: "HANDLER_ERROR", message: "the report broke" } } });
  expect(signatureValid(delivered, secret)).toBe(true);

  // The job's page lists the channel.
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("job-channels")).toContainText(name);
  await page.goto("/settings");

  // Disable, then delete after a confirmation.
  await channelRow(page, name).getByRole("button", { name: `Disable ${name}` }).click();
  await expect(toast(page, `Disabled channel "${name}"`)).toBeVisible();
  await expect(channelRow(page, name)).toContainText("Disabled");
  expect((await sql<{ enabled: boolean }>("SELECT enabled FROM notification_channels WHERE id = $1", [row.id]))[0].enabled).toBe(false);
  await channelRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("dialog", { name: `Delete channel "${name}"?` }).getByRole("button", { name: "Delete channel" }).click();
  await expect(toast(page, `Deleted channel "${name}"`)).toBeVisible();
  await expect(channelRow(page, name)).toHaveCount(0);
  const audit = await sql<{ action: string }>("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq", [row.id]);
  expect(audit.map((event) => event.action)).toEqual(["channel.create", "channel.update", "channel.update", "channel.update", "channel.delete"]);
});
