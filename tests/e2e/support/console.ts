// Helpers for the console specs: sign in (also in a second browser), seed jobs and runs through
// the API (the same services the console uses), create users with the user:create CLI, read
// toasts, hold server actions back, and check that nothing scrolls sideways.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { expect, type APIRequestContext, type Browser, type Locator, type Page } from "@playwright/test";
import { ADMIN, BASE_URL, E2E_DATA_DIR, e2eDatabase } from "./settings";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);

export interface Credentials {
  email: string;
  password: string;
}

export interface JobJson {
  id: string;
  name: string;
  description: string | null;
  type: string;
  params: Record<string, unknown>;
  schedule: Record<string, unknown> & { type: string };
  enabled: boolean;
  health: string;
  systemManaged: boolean;
  nextRunAt: string | null;
  version: number;
}

export async function signIn(page: Page, user: Credentials = ADMIN): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
}

/** A fresh browser context (its own cookies) signed in as someone else. */
export async function signedInPage(browser: Browser, user: Credentials): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

/** "Nightly 1a2b3c4d"; with "-", "added-1a2b3c4d" for emails and token names. */
export const uniqueName = (prefix: string, separator = " ") => `${prefix}${separator}${crypto.randomUUID().slice(0, 8)}`;

/** Cookie-authenticated changes must name our origin, as the browser does for the console. */
export const SAME_ORIGIN = { origin: BASE_URL };

export async function createJobViaApi(request: APIRequestContext, input: Record<string, unknown>): Promise<JobJson> {
  const response = await request.post("/api/jobs", { headers: SAME_ORIGIN, data: input });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as JobJson;
}

/** POST /api/jobs/:id/run; the new execution's id. */
export async function runNowViaApi(request: APIRequestContext, jobId: string): Promise<string> {
  const response = await request.post(`/api/jobs/${jobId}/run`, { headers: SAME_ORIGIN });
  expect(response.status(), await response.text()).toBe(202);
  return ((await response.json()) as { execution: { id: string } }).execution.id;
}

export async function patchJobViaApi(request: APIRequestContext, id: string, changes: Record<string, unknown>) {
  return request.patch(`/api/jobs/${id}`, { headers: SAME_ORIGIN, data: changes });
}

export async function getJobViaApi(request: APIRequestContext, id: string): Promise<{ status: number; job?: JobJson }> {
  const response = await request.get(`/api/jobs/${id}`);
  return { status: response.status(), job: response.ok() ? ((await response.json()) as JobJson) : undefined };
}

export async function findJobsViaApi(request: APIRequestContext, query: string): Promise<JobJson[]> {
  const response = await request.get(`/api/jobs?query=${encodeURIComponent(query)}&pageSize=200`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { items: JobJson[] }).items;
}

/** A user made with `npm run user:create` against the e2e server's database; the CLI prints the generated password. */
export async function createUserWithCli(role: "viewer" | "operator" | "admin"): Promise<Credentials> {
  const email = `${uniqueName(role, "-")}@tickwork.test`;
  const { stdout } = await run("npx", ["tsx", "scripts/user-create.ts", "--email", email, "--role", role], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: e2eDatabase()?.url ?? "", TICKWORK_DATA_DIR: E2E_DATA_DIR, TICKWORK_LOG_LEVEL: "warn" },
  });
  const password = /Password \(shown once\): (\S+)/.exec(stdout)?.[1];
  if (!password) throw new Error(`user:create printed no password:\n${stdout}`);
  return { email, password };
}

/** Holds the server action requests of pages matching `path` back for a while, so what the console shows before the answer can be checked. */
export async function delayServerActions(page: Page, ms: number, path = "**/jobs*"): Promise<void> {
  await page.route(path, async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"]) await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

/** Nothing scrolls sideways: the page (wider than the window) or an element such as a dialog. */
export async function expectNoSideScroll(target: Page | Locator, message?: string): Promise<void> {
  const overflow = "goto" in target
    ? await target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    : await target.evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(overflow, message).toBeLessThanOrEqual(0);
}

export const jobRow = (page: Page, name: string): Locator => page.getByRole("table").getByRole("row").filter({ hasText: name });

export const toast = (page: Page, text: string | RegExp): Locator => page.locator("[data-sonner-toast]").filter({ hasText: text });

export const demoSleepJob = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  type: "demo.sleep",
  params: { durationMs: 200, steps: 1 },
  schedule: { type: "cron", expression: "0 3 * * *", timezone: "UTC" },
  ...overrides,
});
