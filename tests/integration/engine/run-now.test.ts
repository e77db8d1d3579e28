// POST /api/jobs/:id/run (alias /run-now): a manual execution now, with optional params overrides
// validated by the handler's schema; never moves nextRunAt; works on disabled and system-managed
// jobs; warns ALREADY_RUNNING; audited as job.run.
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../../support/api";
import {
  auditRows,
  createIdentities,
  detailPaths,
  executionsOf,
  expectError,
  jobRow,
  postJob,
  resetDatabase,
  sessionCookie,
  settleActiveExecutions,
  systemJobRow,
  type Identities,
} from "../../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const run = (jobId: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}, path = "run") =>
  api("POST", `/api/jobs/${jobId}/${path}`, { token: who.operator, ...options });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The contract's Execution, field for field. */
const EXECUTION_FIELDS = [
  "id", "jobId", "jobVersion", "jobName", "type", "status", "cancelRequested", "trigger", "triggeredBy", "attempt", "parentExecutionId",
  "params", "scheduledFor", "queuedAt", "startedAt", "finishedAt", "lastHeartbeatAt", "durationMs", "queueDelayMs",
  "progress", "result", "error", "workerId",
].sort();
const cronJob = (overrides: Parameters<typeof postJob>[1] = {}) =>
  postJob(who.operator, { schedule: { type: "cron", expression: "0 2 * * *", timezone: "UTC" }, params: { durationMs: 25, steps: 1 }, ...overrides });

describe("POST /api/jobs/:id/run", () => {
  it("answers 202 with a QUEUED manual execution triggered by the token's name, due now, and a Location header", async () => {
    await settleActiveExecutions();
    const job = await cronJob({ maxAttempts: 2, timeoutSeconds: 90 });
    const before = Date.now();
    const response = await run(job.id);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const { execution } = response.body;
    expect(Object.keys(response.body)).toEqual(["execution"]);
    expect(execution.id).toMatch(UUID);
    expect(Object.keys(execution).sort()).toEqual(EXECUTION_FIELDS);
    expect(response.headers.get("location")).toBe(`/api/executions/${execution.id}`);
    expect(execution).toMatchObject({
      jobId: job.id,
      jobVersion: job.version,
      jobName: job.name,
      type: "demo.sleep",
      status: "QUEUED",
      trigger: "manual",
      triggeredBy: who.tokenNames.operator,
      attempt: 1,
      cancelRequested: false,
      startedAt: null,
      finishedAt: null,
      error: null,
    });
    expect(execution.params).toEqual(job.params);
    expect(Date.parse(execution.scheduledFor)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(execution.scheduledFor)).toBeLessThanOrEqual(Date.now() + 5);

    const rows = await executionsOf(job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ maxAttempts: 2, timeoutSeconds: 90 });
  });

  it("never moves nextRunAt nor the job's version", async () => {
    const job = await cronJob();
    const before = await jobRow(job.id);
    expect((await run(job.id)).status).toBe(202);
    expect((await run(job.id, {}, "run-now")).status).toBe(202);
    const after = await jobRow(job.id);
    expect(after!.nextRunAt?.toISOString()).toBe(before!.nextRunAt?.toISOString());
    expect(after!.version).toBe(before!.version);
  });

  it("is audited as job.run by the token's name", async () => {
    const job = await cronJob();
    expect((await run(job.id)).status).toBe(202);
    const events = (await auditRows(job.id)).filter((event) => event.action === "job.run");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: who.tokenNames.operator, targetType: "job", targetId: job.id });
  });

  it("records a signed-in user's email as triggeredBy", async () => {
    const job = await cronJob();
    const cookie = await sessionCookie(who.users.operator, "operator");
    const response = await api("POST", `/api/jobs/${job.id}/run`, { headers: { cookie, origin: "http://localhost:3000" } });
    expect(response.status).toBe(202);
    expect(response.body.execution.triggeredBy).toBe(who.users.operator.email);
  });

  it("works on a disabled job, which stays disabled with no nextRunAt", async () => {
    const job = await cronJob({ enabled: false });
    expect(job.nextRunAt).toBeNull();
    const response = await run(job.id);
    expect(response.status).toBe(202);
    expect(response.body.execution.status).toBe("QUEUED");
    expect(await jobRow(job.id)).toMatchObject({ enabled: false, nextRunAt: null });
  });

  it("works on the system-managed job", async () => {
    const system = await systemJobRow();
    const response = await run(system.id);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body.execution).toMatchObject({ jobId: system.id, type: "system.retention", trigger: "manual", params: { keepDays: 30 } });
    expect((await systemJobRow()).nextRunAt?.toISOString()).toBe(system.nextRunAt?.toISOString());
    await settleActiveExecutions();
  });

  it("merges params overrides over the job's params for this run only, and audits them", async () => {
    const job = await cronJob({ params: { durationMs: 25, steps: 2 } });
    const response = await run(job.id, { body: { params: { durationMs: 5, fail: true } } });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body.execution.params).toMatchObject({ durationMs: 5, steps: 2, fail: true });
    expect((await jobRow(job.id))!.params).toMatchObject({ durationMs: 25, steps: 2, fail: false });
    const event = (await auditRows(job.id)).find((e) => e.action === "job.run");
    expect(JSON.stringify(event?.changes)).toContain('"durationMs":5');
  });

  it("accepts an empty body and an empty object", async () => {
    const job = await cronJob();
    expect((await run(job.id, { body: "", headers: { "content-type": "application/json" } })).status).toBe(202);
    expect((await run(job.id, { body: {} })).status).toBe(202);
    expect((await run(job.id, { body: { params: {} } })).status).toBe(202);
  });

  it("warns ALREADY_RUNNING, naming the active executions, when another run of the job is queued or running", async () => {
    const job = await cronJob();
    const first = await run(job.id);
    expect(first.body.warning).toBeUndefined();
    const second = await run(job.id);
    expect(second.status).toBe(202);
    expect(second.body.warning).toMatchObject({ code: "ALREADY_RUNNING", activeExecutionIds: [first.body.execution.id] });
    expect(second.body.warning.message.length).toBeGreaterThan(0);
    const db = await getPrisma();
    await db.execution.update({ where: { id: first.body.execution.id }, data: { status: "RUNNING", startedAt: new Date() } });
    const third = await run(job.id);
    expect(third.body.warning.activeExecutionIds.sort()).toEqual([first.body.execution.id, second.body.execution.id].sort());
    expect(new Set([first, second, third].map((r) => r.body.execution.id)).size).toBe(3);
    await settleActiveExecutions();
    expect((await run(job.id)).body.warning).toBeUndefined();
  });

  it("the /run-now alias answers the same", async () => {
    const job = await cronJob();
    const response = await api("POST", `/api/v1/jobs/${job.id}/run-now`, { token: who.operator, body: { params: { steps: 3 } } });
    expect(response.status).toBe(202);
    expect(response.body.execution).toMatchObject({ jobId: job.id, trigger: "manual", params: { steps: 3 } });
  });
});

describe("POST /api/jobs/:id/run: refusals", () => {
  it("answers 400 with details under params.* when an override fails the handler's schema, and queues nothing", async () => {
    const job = await cronJob();
    const wrongType = expectError(await run(job.id, { body: { params: { durationMs: "slow" } } }), 400, "VALIDATION_FAILED");
    expect(detailPaths(wrongType)).toEqual(["params.durationMs"]);
    expect(wrongType.field).toBe("params");
    const unknown = expectError(await run(job.id, { body: { params: { bogus: 1 } } }), 400, "VALIDATION_FAILED");
    expect(detailPaths(unknown)).toEqual(["params.bogus"]);
    const outOfRange = expectError(await run(job.id, { body: { params: { steps: 0 } } }), 400, "VALIDATION_FAILED");
    expect(detailPaths(outOfRange)).toEqual(["params.steps"]);
    expect(await executionsOf(job.id)).toHaveLength(0);
    expect((await auditRows(job.id)).filter((e) => e.action === "job.run")).toHaveLength(0);
  });

  it("answers 400 for unknown body fields, non-object params, malformed JSON; 415 for non-JSON; 413 for a huge body", async () => {
    const job = await cronJob();
    expect(detailPaths(expectError(await run(job.id, { body: { param: {} } }), 400, "VALIDATION_FAILED"))).toEqual(["param"]);
    expect(detailPaths(expectError(await run(job.id, { body: { params: [1, 2] } }), 400, "VALIDATION_FAILED"))).toEqual(["params"]);
    expectError(await run(job.id, { body: { params: "durationMs=5" } }), 400, "VALIDATION_FAILED");
    expectError(await run(job.id, { body: "[]" }), 400, "VALIDATION_FAILED");
    expectError(await run(job.id, { body: "{\"params\": {" }), 400, "VALIDATION_FAILED");
    expectError(await run(job.id, { body: "null" }), 400, "VALIDATION_FAILED");
    expectError(await run(job.id, { body: "params=1", headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await run(job.id, { body: { params: { failMessage: "x".repeat(300_000) } } }), 413, "PAYLOAD_TOO_LARGE");
    expect(await executionsOf(job.id)).toHaveLength(0);
  });

  it("answers 404 for unknown, deleted and malformed job ids", async () => {
    const job = await cronJob();
    expect((await api("DELETE", `/api/jobs/${job.id}`, { token: who.operator })).status).toBe(204);
    expectError(await run(job.id), 404, "NOT_FOUND");
    expectError(await run("00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
    expectError(await run("nightly-backup"), 404, "NOT_FOUND");
    expectError(await run("00000000-0000-4000-8000-000000000000", {}, "run-now"), 404, "NOT_FOUND");
    expect(await executionsOf(job.id)).toHaveLength(0);
  });

  it("is refused to viewers (403) and without valid credentials (401)", async () => {
    const job = await cronJob();
    expectError(await run(job.id, { token: who.viewer }), 403, "FORBIDDEN");
    expectError(await run(job.id, { token: who.viewer }, "run-now"), 403, "FORBIDDEN");
    expectError(await api("POST", `/api/jobs/${job.id}/run`), 401, "UNAUTHENTICATED");
    expectError(await run(job.id, { token: who.revoked }), 401, "UNAUTHENTICATED");
    const cookie = await sessionCookie(who.users.operator, "operator");
    expectError(await api("POST", `/api/jobs/${job.id}/run`, { headers: { cookie, origin: "https://evil.example" } }), 403, "FORBIDDEN");
    expect(await executionsOf(job.id)).toHaveLength(0);
    expect((await run(job.id, { token: who.admin })).status).toBe(202);
  });
});
