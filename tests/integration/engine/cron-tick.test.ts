// GET and POST /api/cron/tick: the whole engine inside one request for its time budget (tick each
// second, claim, run, complete, sweep), guarded by `Authorization: Bearer $CRON_SECRET`; what has
// not finished at the end is requeued, and a run cut off twice fails BUDGET_EXCEEDED. Two
// overlapping calls never run an execution twice.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const SECRET = vi.hoisted(() => {
  const secret = "cron-secret-for-tests-0123456789";
  process.env.CRON_SECRET = secret;
  // A short budget: each call drives the engine for three seconds.
  process.env.TICKWORK_HTTP_TICK_SECONDS = "3";
  return secret;
});

import { getPrisma } from "@/lib/db";
import { engineConfig } from "@/lib/engine/config";
import { driveEngine } from "@/lib/engine/http-tick";
import { closeBus } from "@/lib/events/bus";
import { api } from "../../support/api";
import { createIdentities, executionRow, executionsOf, expectError, postJob, resetDatabase, setNextRunAt, settleActiveExecutions, type Identities } from "../../support/fixtures";
import { insertRunning, manualJob, runNow } from "./support";

let who: Identities;
let hits: Map<string, number>;
let server: http.Server;
let base: string;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
  hits = new Map();
  server = http.createServer((request, response) => {
    hits.set(request.url!, (hits.get(request.url!) ?? 0) + 1);
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeBus();
});

const tickWith = (authorization?: string, method: "GET" | "POST" = "GET") =>
  api(method, "/api/cron/tick", { headers: authorization === undefined ? {} : { authorization } });

describe("GET and POST /api/cron/tick", () => {
  it("with the secret (GET, as Vercel Cron sends it): ticks, runs what is due, sweeps stalled runs, and answers what it did", async () => {
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 3600 } });
    const due = new Date(Date.now() - 500);
    await setNextRunAt(job.id, due);
    const other = await postJob(who.operator, { schedule: { type: "manual" } });
    const stale = await insertRunning(other, 10 * 60_000);

    const response = await tickWith(`Bearer ${SECRET}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ queued: 1, skipped: 0, stalled: 1, requeued: 0 });
    expect(response.body.ticks).toBeGreaterThanOrEqual(1);
    expect(response.body.started).toBe(response.body.finished);
    expect(response.body.finished).toBeGreaterThanOrEqual(1);
    expect(Math.abs(Date.parse(response.body.at) - Date.now())).toBeLessThan(10_000);

    const rows = await executionsOf(job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "SUCCEEDED", trigger: "schedule" });
    expect(rows[0].scheduledFor.toISOString()).toBe(due.toISOString());
    expect(rows[0].workerId).toMatch(/^http-tick-/);
    expect(await executionRow(stale.id)).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
    const db = await getPrisma();
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).nextRunAt?.toISOString()).toBe(new Date(due.getTime() + 3_600_000).toISOString());

    const again = await tickWith(`bearer ${SECRET}`, "POST");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ queued: 0, started: 0, stalled: 0 });
    expect(await executionsOf(job.id)).toHaveLength(1);
  });

  it("runs a run-now queued between calls", async () => {
    const job = await manualJob(who.operator);
    const queued = await runNow(who.operator, job.id);
    expect((await tickWith(`Bearer ${SECRET}`)).status).toBe(200);
    expect(await executionRow(queued.id)).toMatchObject({ status: "SUCCEEDED", trigger: "manual" });
  });

  it("requeues a run still going when the budget ends; cut off a second time it fails BUDGET_EXCEEDED", async () => {
    const job = await manualJob(who.operator, { params: { durationMs: 60_000, steps: 60 } });
    const queued = await runNow(who.operator, job.id);
    const first = await tickWith(`Bearer ${SECRET}`);
    expect(first.body).toMatchObject({ started: 1, finished: 0, requeued: 1 });
    expect(await executionRow(queued.id)).toMatchObject({ status: "QUEUED", workerId: null, startedAt: null, budgetRequeues: 1 });
    const second = await tickWith(`Bearer ${SECRET}`);
    expect(second.body).toMatchObject({ started: 1, requeued: 1 });
    expect(await executionRow(queued.id)).toMatchObject({ status: "FAILED", errorCode: "BUDGET_EXCEEDED", attempt: 1 });
    // Not retried: another attempt would not fit the budget either.
    expect(await executionsOf(job.id)).toHaveLength(1);
    await settleActiveExecutions();
  });

  it("a run that only started late in a budget is requeued without counting toward BUDGET_EXCEEDED", async () => {
    const job = await manualJob(who.operator, { params: { durationMs: 60_000, steps: 60 } });
    const queued = await runNow(who.operator, job.id);
    const db = await getPrisma();
    // Due 2 s into a 3 s budget: it runs for at most a second, less than half the budget, before it ends.
    await db.execution.update({ where: { id: queued.id }, data: { scheduledFor: new Date(Date.now() + 2000) } });
    const first = await tickWith(`Bearer ${SECRET}`);
    expect(first.body).toMatchObject({ started: 1, requeued: 1 });
    expect(await executionRow(queued.id)).toMatchObject({ status: "QUEUED", budgetRequeues: 0 });
    await settleActiveExecutions();
  });

  // The engine as two overlapping calls drive it, with a budget long enough that no run is cut off
  // (a run cut off is requeued and runs again by design); the HTTP side of overlapping calls is in the e2e spec.
  it("two overlapping drives of the engine run each execution exactly once", async () => {
    const jobs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => manualJob(who.operator, { type: "http.request", params: { method: "GET", url: `${base}/hit/${i}` }, overlapPolicy: "allow" })),
    );
    const runs = [];
    for (const job of jobs) runs.push(await runNow(who.operator, job.id));
    const drive = (workerId: string) => driveEngine(engineConfig({ role: "all", workerId, budgetMs: 10_000 }), 10_000);
    const [a, b] = await Promise.all([drive("overlap-a"), drive("overlap-b")]);
    expect(a.requeued + b.requeued).toBe(0);
    expect(a.started + b.started).toBe(20);
    const rows = await Promise.all(runs.map((run) => executionRow(run.id)));
    expect(rows.every((row) => row!.status === "SUCCEEDED")).toBe(true);
    expect(jobs.map((_, i) => hits.get(`/hit/${i}`))).toEqual(jobs.map(() => 1));
  });

  it("without the secret: 401, and nothing is ticked", async () => {
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 3600 } });
    await setNextRunAt(job.id, new Date(Date.now() - 500));
    expectError(await tickWith(), 401, "UNAUTHENTICATED");
    expectError(await tickWith(undefined, "POST"), 401, "UNAUTHENTICATED");
    expectError(await tickWith(`Bearer ${SECRET}x`), 401, "UNAUTHENTICATED");
    expectError(await tickWith(`Bearer ${SECRET.slice(0, -1)}`), 401, "UNAUTHENTICATED");
    expectError(await tickWith(SECRET), 401, "UNAUTHENTICATED");
    expectError(await tickWith(`Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}`), 401, "UNAUTHENTICATED");
    expectError(await tickWith("Bearer "), 401, "UNAUTHENTICATED");
    // An API token, even an admin's, is not the cron secret.
    expectError(await api("GET", "/api/cron/tick", { token: who.admin }), 401, "UNAUTHENTICATED");
    expect(await executionsOf(job.id)).toHaveLength(0);
  });
});
