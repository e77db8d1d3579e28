// POST /api/executions/:id/cancel: a queued run ends at once (200); a running one is asked to stop
// (202) and ends CANCELLED when its handler returns, or by force after the grace period; repeating
// is harmless; a finished one is 409 INVALID_STATE.
import { beforeAll, describe, expect, it } from "vitest";


import { getPrisma } from "@/lib/db";
import { api } from "../../support/api";
import {
  auditRows,
  createIdentities,
  executionRow,
  executionsOf,
  expectError,
  jobRow,
  resetDatabase,
  sessionCookie,
  waitForStatus,
  type Identities,
} from "../../support/fixtures";
import { insertExecutionOf, manualJob, runNow, sleep, useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const cancel = (id: string, token = who.operator) => api("POST", `/api/executions/${id}/cancel`, { token });
const cancelAudits = async (id: string) => (await auditRows(id)).filter((event) => event.action === "execution.cancel");

describe("cancel a queued execution", () => {
  it("answers 200 CANCELLED at once, audits it, and the run never starts; repeating is harmless", async () => {
    const job = await manualJob(who.operator, { params: { durationMs: 10, steps: 1 } });
    const queued = await runNow(who.operator, job.id);

    const response = await cancel(queued.id);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ id: queued.id, status: "CANCELLED", cancelRequested: true, startedAt: null, error: { code: "CANCELLED" } });
    expect(Date.parse(response.body.finishedAt)).not.toBeNaN();
    expect(await executionRow(queued.id)).toMatchObject({ status: "CANCELLED", cancelRequestedBy: who.tokenNames.operator });

    const audits = await cancelAudits(queued.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: who.tokenNames.operator, targetType: "execution" });
    expect(audits[0].changes).toMatchObject({ status: { from: "QUEUED", to: "CANCELLED" } });

    const again = await cancel(queued.id);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ id: queued.id, status: "CANCELLED" });
    expect(await cancelAudits(queued.id)).toHaveLength(1);

    workers.start();
    await sleep(400);
    expect(await executionRow(queued.id)).toMatchObject({ status: "CANCELLED", startedAt: null, workerId: null });
  });

  it("works with a same-origin session cookie, and records the user's email", async () => {
    const job = await manualJob(who.operator);
    const queued = await runNow(who.operator, job.id);
    const cookie = await sessionCookie(who.users.operator, "operator");
    const response = await api("POST", `/api/executions/${queued.id}/cancel`, { headers: { cookie, origin: "http://localhost:3000" } });
    // No worker runs in this test: a 202 means one left over from elsewhere claimed the run (the row names it).
    expect(response.status, response.status === 200 ? undefined : JSON.stringify(await executionRow(queued.id))).toBe(200);
    expect((await executionRow(queued.id))!.cancelRequestedBy).toBe(who.users.operator.email);
  });
});

describe("cancel a running execution", () => {
  it("answers 202 with cancelRequested; a handler that honours the signal ends CANCELLED well within the grace period", async () => {
    const job = await manualJob(who.operator, { maxAttempts: 3, retryBackoffSeconds: 1, params: { durationMs: 10_000, steps: 100 } });
    workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "RUNNING");

    const asked = Date.now();
    const response = await cancel(queued.id);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body).toMatchObject({ id: queued.id, status: "RUNNING", cancelRequested: true, finishedAt: null });

    const row = await waitForStatus(queued.id, ["CANCELLED", "FAILED", "SUCCEEDED"], 3000);
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(row).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });
    expect(row.errorMessage).not.toContain("forced");
    expect(row.durationMs).toBeLessThan(10_000);
    // A cancelled run is not retried, and is the job's last status.
    await sleep(1500);
    expect(await executionsOf(job.id)).toHaveLength(1);
    expect((await jobRow(job.id))!.lastStatus).toBe("CANCELLED");

    const again = await cancel(queued.id);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("CANCELLED");
    expect(await cancelAudits(queued.id)).toHaveLength(1);
  });

  it("forces CANCELLED after the grace period when the handler ignores the signal; repeating meanwhile answers 202 once more", async () => {
    const job = await manualJob(who.operator, { params: { durationMs: 6000, steps: 3, ignoreCancel: true } });
    workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "RUNNING");

    expect((await cancel(queued.id)).status).toBe(202);
    const again = await cancel(queued.id);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: "RUNNING", cancelRequested: true });
    expect(await cancelAudits(queued.id)).toHaveLength(1);

    await sleep(500);
    expect((await executionRow(queued.id))!.status).toBe("RUNNING");
    const row = await waitForStatus(queued.id, ["CANCELLED", "FAILED", "SUCCEEDED"], 3000);
    expect(row.status).toBe("CANCELLED");
    expect(row.errorMessage).toContain("forced");
    expect(row.finishedAt!.getTime() - row.cancelRequestedAt!.getTime()).toBeGreaterThanOrEqual(900);
  });

  it("a cancel recorded by another instance reaches the worker through its heartbeat", async () => {
    const job = await manualJob(who.operator, { params: { durationMs: 10_000, steps: 100 } });
    workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "RUNNING");
    // No event on this instance's bus: only the row says so.
    const db = await getPrisma();
    await db.execution.update({ where: { id: queued.id }, data: { cancelRequestedAt: new Date(), cancelRequestedBy: "elsewhere" } });
    const row = await waitForStatus(queued.id, ["CANCELLED", "FAILED", "SUCCEEDED"], 2000);
    expect(row.status).toBe("CANCELLED");
  });
});

describe("cancel: refusals", () => {
  it.each(["SUCCEEDED", "FAILED", "SKIPPED"] as const)("answers 409 INVALID_STATE for a %s execution and changes nothing", async (status) => {
    const job = await manualJob(who.operator);
    const finishedAt = new Date();
    const execution = await insertExecutionOf(job, { status, finishedAt, errorCode: status === "SKIPPED" ? "OVERLAP" : null });
    expectError(await cancel(execution.id), 409, "INVALID_STATE");
    expect(await executionRow(execution.id)).toMatchObject({ status, cancelRequestedAt: null });
    expect(await cancelAudits(execution.id)).toHaveLength(0);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    expectError(await cancel("00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
    expectError(await cancel("not-a-uuid"), 404, "NOT_FOUND");
    expectError(await cancel("1"), 404, "NOT_FOUND");
  });

  it("is refused to viewers (403), anonymous and revoked tokens (401), and cross-origin cookies (403)", async () => {
    const job = await manualJob(who.operator);
    const queued = await runNow(who.operator, job.id);
    expectError(await cancel(queued.id, who.viewer), 403, "FORBIDDEN");
    expectError(await api("POST", `/api/executions/${queued.id}/cancel`), 401, "UNAUTHENTICATED");
    expectError(await cancel(queued.id, who.revoked), 401, "UNAUTHENTICATED");
    const cookie = await sessionCookie(who.users.admin, "admin");
    expectError(
      await api("POST", `/api/executions/${queued.id}/cancel`, { headers: { cookie, origin: "https://evil.example" } }),
      403,
      "FORBIDDEN",
    );
    expect(await executionRow(queued.id)).toMatchObject({ status: "QUEUED", cancelRequestedAt: null });
    expect(await cancelAudits(queued.id)).toHaveLength(0);
  });
});
