// Tickwork as it runs on a Vercel-style host: the production build with no engine loop in the
// process (VERCEL=1 on PostgreSQL; TICKWORK_ROLE=web on the embedded database, which a serverless
// host cannot have), driven only by this spec playing Vercel Cron: GET /api/cron/tick with the
// secret and a short budget, again and again. Every fire of an every-second job in the window
// runs once, a run-now from the console completes, a server killed in the middle of a tick loses
// nothing once restarted, and two overlapping calls run nothing twice.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { findRunningEmbedded } from "../../lib/db/embedded";
import { jobRow, toast, uniqueName } from "./support/console";
import { ADMIN, AUTH_SECRET, E2E_PORT, e2eDatabase } from "./support/settings";

test.describe.configure({ mode: "serial" });

const ROOT = path.resolve(import.meta.dirname, "../..");
const PORT = E2E_PORT + 7;
const BASE = `http://127.0.0.1:${PORT}`;
const SECRET = "serverless-cron-secret-0123456789";
const BUDGET_SECONDS = 5;
const DATA_DIR = path.join(ROOT, ".data-e2e-serverless");
const postgres = e2eDatabase();
const databaseUrl = postgres ? postgres.url.replace(/\/([^/?]+)(\?|$)/, "/$1_serverless$2") : "";
const SAME_ORIGIN = { origin: BASE };

let server: ChildProcess | undefined;
let hits: Map<string, number>;
let hitServer: http.Server;
let hitBase: string;

async function sql<T extends pg.QueryResultRow = Record<string, any>>(text: string, values: unknown[] = []): Promise<T[]> {
  const url = postgres ? databaseUrl : await findRunningEmbedded(DATA_DIR);
  if (!url) throw new Error("the serverless server's embedded database is not running");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function startServer(): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    AUTH_SECRET,
    NEXTAUTH_URL: BASE,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    CRON_SECRET: SECRET,
    TICKWORK_HTTP_TICK_SECONDS: String(BUDGET_SECONDS),
    // Short enough that runs of the killed server are swept soon after the restart, long enough
    // that a live run whose heartbeat waits behind a busy event loop (the embedded database shares it) is not.
    TICKWORK_STALL_SECONDS: "6",
    TICKWORK_SWEEP_SECONDS: "1",
    TICKWORK_HEARTBEAT_SECONDS: "1",
    TICKWORK_HTTP_ALLOW: "127.0.0.1",
    TICKWORK_LOG_LEVEL: "warn",
    ...(postgres
      ? { VERCEL: "1", VERCEL_ENV: "preview", VERCEL_GIT_COMMIT_REF: "feature/serverless", VERCEL_GIT_COMMIT_SHA: "abcdef0123456789", DATABASE_URL: databaseUrl }
      : { TICKWORK_ROLE: "web", TICKWORK_PREVIEW: "1", TICKWORK_DATA_DIR: DATA_DIR, DATABASE_URL: "" }),
  };
  server = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${BASE}/api/health`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the serverless server did not become healthy");
}

/** SIGKILL of the whole process group: npx, next and its workers, as a host recycling the function would. */
async function killServer(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server!.once("exit", resolve));
  process.kill(-server.pid!, "SIGKILL");
  await exited;
}

async function prepareDatabase(): Promise<void> {
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  if (!postgres) return;
  const maintenance = new pg.Client({ connectionString: postgres.maintenanceUrl ?? postgres.url });
  await maintenance.connect();
  const name = new URL(databaseUrl).pathname.slice(1);
  await maintenance.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await maintenance.query(`CREATE DATABASE "${name}"`);
  await maintenance.end();
}

const cron = (request: APIRequestContext, authorization?: string, method: "GET" | "POST" = "GET") =>
  request.fetch(`${BASE}/api/cron/tick`, { method, headers: authorization ? { authorization } : {}, timeout: 60_000 });

async function signIn(page: Page): Promise<void> {
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
}

async function createJob(page: Page, input: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const response = await page.request.post(`${BASE}/api/jobs`, { headers: SAME_ORIGIN, data: input });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  hits = new Map();
  hitServer = http.createServer((request, response) => {
    hits.set(request.url!, (hits.get(request.url!) ?? 0) + 1);
    response.end("ok");
  });
  await new Promise<void>((resolve) => hitServer.listen(0, "127.0.0.1", resolve));
  hitBase = `http://127.0.0.1:${(hitServer.address() as AddressInfo).port}`;
  await prepareDatabase();
  await startServer();
});

test.afterAll(async () => {
  await killServer();
  await new Promise((resolve) => hitServer.close(resolve));
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

test("without the cron secret the tick is refused with the contract's error", async ({ request }) => {
  for (const [authorization, method] of [[undefined, "GET"], ["Bearer wrong-secret-0123456789", "GET"], [undefined, "POST"]] as const) {
    const response = await cron(request, authorization, method);
    expect(response.status()).toBe(401);
    expect((await response.json()).error).toMatchObject({ code: "UNAUTHENTICATED" });
  }
});

test("no loop runs in the process: a preview banner, demo jobs, and nothing fires until the cron calls", async ({ page }) => {
  await signIn(page);
  const banner = page.getByTestId("preview-banner");
  await expect(banner).toContainText("Preview");
  if (postgres) await expect(banner).toContainText("feature/serverless at abcdef0");
  const [{ demo }] = await sql<{ demo: number }>("SELECT count(*)::int AS demo FROM jobs WHERE system_key IS NULL AND deleted_at IS NULL");
  expect(demo).toBeGreaterThan(0);
  const job = await createJob(page, { name: uniqueName("Idle"), type: "demo.sleep", params: { durationMs: 10, steps: 1 }, schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" } });
  await page.waitForTimeout(2500);
  expect(await sql("SELECT id FROM executions WHERE job_id = $1", [job.id])).toEqual([]);
  expect(await sql("SELECT id FROM scheduler_instances")).toEqual([]);
  await page.request.post(`${BASE}/api/jobs/${job.id}/disable`, { headers: SAME_ORIGIN });
});

test("playing Vercel Cron: every fire in the window runs once, and a run-now from the console completes", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const everySecond = await createJob(page, {
    name: uniqueName("Every second"),
    type: "demo.sleep",
    params: { durationMs: 10, steps: 1 },
    schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" },
    // Fires missed between two calls are due together at the next one; with "skip" all but the first would be SKIPPED.
    overlapPolicy: "allow",
  });
  const manual = await createJob(page, { name: uniqueName("Manual"), type: "demo.sleep", params: { durationMs: 100, steps: 1 }, schedule: { type: "manual" } });
  await page.reload();
  await jobRow(page, manual.name).getByRole("button", { name: `Run now ${manual.name}` }).click();
  await expect(toast(page, `Queued a run of "${manual.name}"`)).toBeVisible();

  const windowStart = Date.now();
  for (let call = 0; call < 3; call++) {
    const response = await cron(request, `Bearer ${SECRET}`);
    expect(response.status(), await response.text()).toBe(200);
    const body = await response.json();
    expect(body.ticks).toBeGreaterThanOrEqual(1);
  }
  const windowEnd = Date.now();
  const [run] = await sql("SELECT status FROM executions WHERE job_id = $1", [manual.id]);
  expect(run).toEqual({ status: "SUCCEEDED" });
  const fires = await sql<{ at: Date; status: string }>(
    "SELECT scheduled_for AS at, status FROM executions WHERE job_id = $1 AND scheduled_for > $2 AND scheduled_for < $3 ORDER BY scheduled_for",
    [everySecond.id, new Date(windowStart + 1000), new Date(windowEnd - 1500)],
  );
  const seconds = fires.map((fire) => fire.at.getTime());
  expect(seconds.length).toBeGreaterThanOrEqual(2 * BUDGET_SECONDS);
  for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBe(1000);
  expect(fires.every((fire) => fire.status === "SUCCEEDED")).toBe(true);
  await page.request.post(`${BASE}/api/jobs/${everySecond.id}/disable`, { headers: SAME_ORIGIN });
});

test("a server killed in the middle of a tick loses nothing: after the restart, the next tick's sweep recovers it", async ({ page, request }) => {
  test.setTimeout(240_000);
  await signIn(page);
  const job = await createJob(page, {
    name: uniqueName("Through a crash"),
    type: "demo.sleep",
    // Longer than a second: some run is always in flight when the server is killed.
    params: { durationMs: 1500, steps: 1 },
    schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" },
    overlapPolicy: "allow",
    maxAttempts: 2,
    retryBackoffSeconds: 1,
  });
  const windowStart = Date.now();
  await cron(request, `Bearer ${SECRET}`);
  const cut = cron(request, `Bearer ${SECRET}`).catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 1800));
  await killServer();
  expect(await cut).toBeNull();
  const killedAt = Date.now();
  await startServer();
  const calls: unknown[] = [];
  const call = async () => {
    const response = await cron(request, `Bearer ${SECRET}`);
    expect(response.status()).toBe(200);
    calls.push({ ...(await response.json()), endedAt: new Date().toISOString() });
  };
  await call();
  // The window ends before this call's last tick; then the job is disabled and the cron keeps
  // calling, as Vercel's would, until the backlog of the time the server was down has run.
  const windowEnd = Date.now() - 1500;
  await page.request.post(`${BASE}/api/jobs/${job.id}/disable`, { headers: SAME_ORIGIN });
  for (let turn = 0; turn < 20; turn++) {
    const [{ active }] = await sql<{ active: number }>("SELECT count(*)::int AS active FROM executions WHERE job_id = $1 AND status IN ('QUEUED', 'RUNNING')", [job.id]);
    if (active === 0) break;
    await call();
  }
  const rows = await sql<{ id: string; at: Date; status: string; error_code: string | null; trigger: string; retry_of_id: string | null }>(
    "SELECT id, scheduled_for AS at, status, error_code, trigger, retry_of_id FROM executions WHERE job_id = $1 ORDER BY scheduled_for",
    [job.id],
  );
  const scheduled = rows.filter((row) => row.trigger === "schedule" && row.at.getTime() > windowStart + 1000 && row.at.getTime() < windowEnd);
  // Every second of the window, also those while the server was down, has its one fire.
  const seconds = scheduled.map((row) => row.at.getTime());
  expect(seconds[0]).toBeLessThan(killedAt - 1000);
  for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBe(1000);
  // None is left running, and one cut off by the kill was swept as STALLED and retried to success.
  const stalled = scheduled.filter((row) => row.error_code === "STALLED");
  expect(stalled.length).toBeGreaterThan(0);
  for (const row of stalled) {
    const retry = rows.find((candidate) => candidate.retry_of_id === row.id);
    expect(retry, JSON.stringify({ row, retry, killedAt: new Date(killedAt), calls })).toMatchObject({ status: "SUCCEEDED", trigger: "retry" });
  }
  expect(scheduled.filter((row) => row.status !== "SUCCEEDED" && row.error_code !== "STALLED"), JSON.stringify({ killedAt: new Date(killedAt), calls }, null, 1)).toEqual([]);
});

test("two overlapping tick calls run each execution exactly once", async ({ page, request }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const ids: string[] = [];
  for (let i = 0; i < 15; i++) {
    const job = await createJob(page, { name: uniqueName(`Hit ${i}`), type: "http.request", params: { method: "GET", url: `${hitBase}/hit/${i}` }, schedule: { type: "manual" } });
    const response = await page.request.post(`${BASE}/api/jobs/${job.id}/run`, { headers: SAME_ORIGIN });
    expect(response.status()).toBe(202);
    ids.push((await response.json()).execution.id);
  }
  const [a, b] = await Promise.all([cron(request, `Bearer ${SECRET}`), cron(request, `Bearer ${SECRET}`, "POST")]);
  expect([a.status(), b.status()]).toEqual([200, 200]);
  const started = (await a.json()).started + (await b.json()).started;
  expect(started).toBe(15);
  const rows = await sql<{ status: string }>("SELECT status FROM executions WHERE id = ANY($1::uuid[])", [ids]);
  expect(rows.map((row) => row.status)).toEqual(ids.map(() => "SUCCEEDED"));
  expect(Array.from({ length: 15 }, (_, i) => hits.get(`/hit/${i}`))).toEqual(Array.from({ length: 15 }, () => 1));
});
