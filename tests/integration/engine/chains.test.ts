// Chains: onSuccess / onFailure are checked at save (unknown, deleted, self, cycles: 400 with the
// field named), a delete takes the job out of every list (audited), and a finished run creates the
// chained runs (trigger chain, parentExecutionId) in the transaction that finishes it.
import crypto from "node:crypto";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { completeExecutions } from "@/lib/engine/complete";
import { workOnce } from "@/lib/engine/worker";
import { insertExecutionOf, manualJob, runNow, sleep, testEngineConfig } from "./support";
import { api } from "../../support/api";
import {
  auditActions,
  auditRows,
  createIdentities,
  detailPaths,
  executionRow,
  executionsOf,
  expectError,
  jobRow,
  postJob,
  resetDatabase,
  settleActiveExecutions,
  type Identities,
} from "../../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  await settleActiveExecutions();
});

const patch = (id: string, body: unknown) => api("PATCH", `/api/jobs/${id}`, { token: who.operator, body });
const succeeding = { params: { durationMs: 0, steps: 1 } };
const failing = { params: { durationMs: 0, steps: 1, fail: true } };

describe("saving chains", () => {
  it("stores onSuccess and onFailure (create and PATCH), shows them on the job, and audits the change", async () => {
    const [b, c] = [await manualJob(who.operator), await manualJob(who.operator)];
    const a = await postJob(who.operator, { onSuccess: [b.id], onFailure: [c.id] });
    expect(a).toMatchObject({ onSuccess: [b.id], onFailure: [c.id] });
    const changed = await patch(a.id, { onSuccess: [b.id, c.id], onFailure: [] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ onSuccess: [b.id, c.id], onFailure: [], version: 2 });
    const [update] = (await auditRows(a.id)).filter((row) => row.action === "job.update");
    expect(update.changes).toMatchObject({ onSuccess: { from: [b.id], to: [b.id, c.id] }, onFailure: { from: [c.id], to: [] } });
  });

  it("refuses an unknown job, a deleted job and the job itself, naming the field and the item", async () => {
    const a = await manualJob(who.operator);
    const gone = await manualJob(who.operator);
    await api("DELETE", `/api/jobs/${gone.id}`, { token: who.operator });
    const ok = await manualJob(who.operator);

    let error = expectError(await api("POST", "/api/jobs", { token: who.operator, body: { name: "x", type: "demo.sleep", schedule: { type: "manual" }, onSuccess: [ok.id, crypto.randomUUID()] } }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("onSuccess");
    expect(detailPaths(error)).toEqual(["onSuccess.1"]);
    error = expectError(await patch(a.id, { onFailure: [gone.id] }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("onFailure");
    error = expectError(await patch(a.id, { onSuccess: [a.id] }), 400, "VALIDATION_FAILED");
    expect(error).toMatchObject({ field: "onSuccess", details: [{ path: "onSuccess.0" }] });
    error = expectError(await patch(a.id, { onSuccess: Array.from({ length: 11 }, () => crypto.randomUUID()) }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("onSuccess");
    error = expectError(await patch(a.id, { onSuccess: ["nope"] }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("onSuccess");
    expect(await jobRow(a.id)).toMatchObject({ onSuccess: [], onFailure: [], version: 1 });
  });

  it("refuses a cycle, through either list, with the path of the cycle by name", async () => {
    const a = await manualJob(who.operator, { name: `Cycle A ${crypto.randomUUID().slice(0, 6)}` });
    const b = await manualJob(who.operator, { name: `Cycle B ${crypto.randomUUID().slice(0, 6)}`, onSuccess: [a.id] });
    const c = await manualJob(who.operator, { name: `Cycle C ${crypto.randomUUID().slice(0, 6)}`, onFailure: [b.id] });
    // a -> c (failure) -> b (success) -> a
    const error = expectError(await patch(a.id, { onFailure: [c.id] }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("onFailure");
    expect(error.message).toContain(`"${a.name}" → "${c.name}" → "${b.name}" → "${a.name}"`);
    expect((await jobRow(a.id))!.onFailure).toEqual([]);
    // A chain that does not come back is fine: a -> b is already b -> a's reverse, so a -> (new d) only.
    const d = await manualJob(who.operator);
    expect((await patch(a.id, { onSuccess: [d.id] })).status).toBe(200);
  });

  it("deleting a job takes it out of every list that names it, each change audited as job.update", async () => {
    const gone = await manualJob(who.operator);
    const keep = await manualJob(who.operator);
    const a = await manualJob(who.operator, { onSuccess: [gone.id, keep.id] });
    const b = await manualJob(who.operator, { onFailure: [gone.id] });
    expect((await api("DELETE", `/api/jobs/${gone.id}`, { token: who.operator })).status).toBe(204);
    expect(await jobRow(a.id)).toMatchObject({ onSuccess: [keep.id], version: 2 });
    expect(await jobRow(b.id)).toMatchObject({ onFailure: [], version: 2 });
    const [event] = (await auditRows(b.id)).filter((row) => row.action === "job.update");
    expect(event.summary).toContain("Removed deleted job");
    expect(event.changes).toEqual({ onFailure: { from: [gone.id], to: [] } });
    expect(await auditActions(keep.id)).toEqual(["job.create"]);
  });
});

describe("running chains", () => {
  it("a run that succeeds queues one chain run of each onSuccess job, with parentExecutionId, in its own completion", async () => {
    const b = await manualJob(who.operator, succeeding);
    const c = await manualJob(who.operator, succeeding);
    const a = await manualJob(who.operator, { ...succeeding, onSuccess: [b.id], onFailure: [c.id] });
    const parent = await runNow(who.operator, a.id);
    const done = await workOnce(testEngineConfig());
    const completion = done.completions.find((item) => item.execution.id === parent.id)!;
    expect(completion.execution.status).toBe("SUCCEEDED");
    expect(completion.chained.map((run) => run.jobId)).toEqual([b.id]);
    const [chained] = await executionsOf(b.id);
    expect(chained).toMatchObject({ trigger: "chain", parentExecutionId: parent.id, status: "QUEUED", triggeredBy: who.tokenNames.operator, jobVersion: 1 });
    expect(await executionsOf(c.id)).toEqual([]);

    const children = await api("GET", `/api/executions?parentExecutionId=${parent.id}`, { token: who.viewer });
    expect(children.body.items.map((run: { id: string }) => run.id)).toEqual([chained.id]);
    expect((await api("GET", `/api/executions/${chained.id}`, { token: who.viewer })).body.parentExecutionId).toBe(parent.id);
    expect((await api("GET", `/api/executions?trigger=chain&jobId=${b.id}`, { token: who.viewer })).body.total).toBe(1);
  });

  it("a failure with attempts left chains nothing; the last failure queues the onFailure jobs", async () => {
    const c = await manualJob(who.operator, succeeding);
    const a = await manualJob(who.operator, { ...failing, maxAttempts: 2, retryBackoffSeconds: 1, onFailure: [c.id] });
    const first = await runNow(who.operator, a.id);
    await workOnce(testEngineConfig());
    expect((await executionRow(first.id))!.status).toBe("FAILED");
    expect(await executionsOf(c.id)).toEqual([]);

    const db = await getPrisma();
    const retry = await db.execution.findFirstOrThrow({ where: { retryOfId: first.id } });
    await db.execution.update({ where: { id: retry.id }, data: { scheduledFor: new Date() } });
    await workOnce(testEngineConfig());
    expect((await executionRow(retry.id))!.status).toBe("FAILED");
    const chained = await executionsOf(c.id);
    expect(chained).toHaveLength(1);
    expect(chained[0]).toMatchObject({ trigger: "chain", parentExecutionId: retry.id });
  });

  it("two runs finishing in one batch that chain the same job give it two runs, one per parent", async () => {
    const target = await manualJob(who.operator, succeeding);
    const parents = [await manualJob(who.operator, { ...succeeding, onSuccess: [target.id] }), await manualJob(who.operator, { ...succeeding, onSuccess: [target.id] })];
    const runs = [await runNow(who.operator, parents[0].id), await runNow(who.operator, parents[1].id)];
    await workOnce(testEngineConfig({ completeBatch: 500 }));
    const chained = await executionsOf(target.id);
    expect(chained.map((run) => run.parentExecutionId).sort()).toEqual(runs.map((run) => run.id).sort());
  });

  it("a cancelled run chains nothing", async () => {
    const b = await manualJob(who.operator, succeeding);
    const a = await manualJob(who.operator, { params: { durationMs: 10_000, steps: 10 }, onSuccess: [b.id], onFailure: [b.id] });
    const run = await runNow(who.operator, a.id);
    await api("POST", `/api/executions/${run.id}/cancel`, { token: who.operator });
    await workOnce(testEngineConfig());
    expect(await executionsOf(b.id)).toEqual([]);
  });
});

describe.skipIf(inject("databaseKind") !== "postgres")("the chain lists' lock", () => {
  it("is taken by a completion before it locks the finishing job, so a save holding it waits for nobody", async () => {
    const job = await manualJob(who.operator);
    const run = await insertExecutionOf(job, { status: "RUNNING", workerId: "lock-order-worker", startedAt: new Date(), lastHeartbeatAt: new Date() });
    // A save that adds to a chain list: the lock exclusively, then the rows it edits.
    const saver = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await saver.connect();
    try {
      await saver.query("BEGIN");
      await saver.query("SELECT pg_advisory_xact_lock(7408)");
      const completion = completeExecutions([{ id: run.id, outcome: { status: "SUCCEEDED", result: null }, workerId: "lock-order-worker" }]);
      await sleep(500);
      // The completion waits for the lock without holding the job: the save can still lock it.
      await saver.query("SET LOCAL lock_timeout = '2s'");
      await saver.query("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", [job.id]);
      expect((await executionRow(run.id))?.status).toBe("RUNNING");
      await saver.query("COMMIT");
      expect((await completion).map((done) => done.execution.status)).toEqual(["SUCCEEDED"]);
    } finally {
      await saver.query("ROLLBACK").catch(() => undefined);
      await saver.end();
    }
  });
});
