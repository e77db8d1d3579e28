// Stalled recovery: a RUNNING execution whose heartbeat is older than the stall timeout lost its
// worker; the sweep fails it with STALLED (retrying it if attempts remain), or ends it CANCELLED if
// a cancel was pending. Admins can run the sweep now with POST /api/executions/cleanup-stalled.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";


import { getPrisma } from "@/lib/db";
import { sweepStalled } from "@/lib/engine/sweep";
import { api } from "../../support/api";
import {
  createIdentities,
  executionRow,
  expectError,
  jobRow,
  resetDatabase,
  settleActiveExecutions,
  waitFor,
  waitForStatus,
  type Identities,
} from "../../support/fixtures";
import { insertRunning, manualJob, runNow, sleep, useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();
const FIVE_MINUTES = 5 * 60_000;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

beforeEach(async () => {
  await settleActiveExecutions();
});

describe("sweepStalled", () => {
  it("fails a RUNNING execution with an old heartbeat as STALLED and retries it when attempts remain; fresh ones are left alone", async () => {
    const job = await manualJob(who.operator, { maxAttempts: 2, retryBackoffSeconds: 1 });
    const stale = await insertRunning(job, FIVE_MINUTES, { maxAttempts: 2, retryBackoffSeconds: 1 });
    const lastAttempt = await insertRunning(job, FIVE_MINUTES, { attempt: 2, maxAttempts: 2, scheduledFor: new Date(Date.now() - FIVE_MINUTES - 5000) });
    const cancelling = await insertRunning(job, FIVE_MINUTES, { cancelRequestedAt: new Date(Date.now() - FIVE_MINUTES), scheduledFor: new Date(Date.now() - FIVE_MINUTES - 6000) });
    const fresh = await insertRunning(job, 1000, { workerId: "live-worker" });

    const now = new Date();
    const swept = await sweepStalled(now, 60_000);
    expect(swept.map((completion) => completion.execution.id).sort()).toEqual([stale.id, lastAttempt.id, cancelling.id].sort());

    const staleRow = (await executionRow(stale.id))!;
    expect(staleRow).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
    expect(staleRow.errorMessage).toContain("ghost-worker");
    expect(staleRow.finishedAt?.toISOString()).toBe(now.toISOString());
    expect(staleRow.durationMs).toBe(now.getTime() - staleRow.startedAt!.getTime());
    expect(await executionRow(lastAttempt.id)).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
    expect(await executionRow(cancelling.id)).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });
    expect(await executionRow(fresh.id)).toMatchObject({ status: "RUNNING", workerId: "live-worker" });

    const db = await getPrisma();
    const retries = await db.execution.findMany({ where: { retryOfId: { in: [stale.id, lastAttempt.id, cancelling.id] } } });
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ retryOfId: stale.id, trigger: "retry", attempt: 2, status: "QUEUED", jobId: job.id });
    const delay = retries[0].scheduledFor.getTime() - now.getTime();
    expect(delay).toBeGreaterThanOrEqual(800);
    expect(delay).toBeLessThanOrEqual(1200);
    expect((await jobRow(job.id))!.lastStatus).not.toBeNull();

    // Sweeping again finds nothing more.
    expect(await sweepStalled(new Date(), 60_000)).toHaveLength(0);
  });

  it("a worker whose run was declared stalled stops it and never overwrites the outcome", async () => {
    const job = await manualJob(who.operator, { params: { durationMs: 1200, steps: 3 } });
    const worker = workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "RUNNING");
    // As another instance would see it two minutes later.
    const swept = await sweepStalled(new Date(Date.now() + 120_000), 60_000);
    expect(swept.map((completion) => completion.execution.id)).toContain(queued.id);
    await waitFor(() => worker.running() === 0, 2000, "the worker to drop the run");
    await sleep(1500);
    expect(await executionRow(queued.id)).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
  });
});

describe("POST /api/executions/cleanup-stalled", () => {
  it("as admin: answers { cleaned: [{ id, jobName }] }, fails them as STALLED and writes one audit event", async () => {
    const job = await manualJob(who.operator);
    const stale = await insertRunning(job, FIVE_MINUTES);
    const fresh = await insertRunning(job, 1000, { scheduledFor: new Date(Date.now() - 10) });

    const response = await api("POST", "/api/executions/cleanup-stalled", { token: who.admin });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.cleaned).toHaveLength(1);
    expect(response.body.cleaned[0]).toMatchObject({ id: stale.id, jobName: job.name });
    expect(await executionRow(stale.id)).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
    expect((await executionRow(fresh.id))!.status).toBe("RUNNING");

    const db = await getPrisma();
    const audits = await db.auditEvent.findMany({ where: { action: "executions.cleanup_stalled" }, orderBy: { at: "asc" } });
    expect(audits).toHaveLength(1);
    expect(audits[0].actor).toBe(who.tokenNames.admin);
    expect(JSON.stringify(audits[0].changes)).toContain(stale.id);

    const again = await api("POST", "/api/executions/cleanup-stalled", { token: who.admin });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ cleaned: [] });
  });

  it("is for admins only: 403 for operators and viewers, 401 without credentials, and nothing is cleaned", async () => {
    const job = await manualJob(who.operator);
    const stale = await insertRunning(job, FIVE_MINUTES);
    expectError(await api("POST", "/api/executions/cleanup-stalled", { token: who.operator }), 403, "FORBIDDEN");
    expectError(await api("POST", "/api/executions/cleanup-stalled", { token: who.viewer }), 403, "FORBIDDEN");
    expectError(await api("POST", "/api/executions/cleanup-stalled"), 401, "UNAUTHENTICATED");
    expectError(await api("POST", "/api/executions/cleanup-stalled", { token: who.revoked }), 401, "UNAUTHENTICATED");
    expect((await executionRow(stale.id))!.status).toBe("RUNNING");
    expect(await api("GET", "/api/executions/cleanup-stalled", { token: who.admin })).toMatchObject({ status: 405 });
  });
});
