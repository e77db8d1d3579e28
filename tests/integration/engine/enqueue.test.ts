// POST /api/enqueue: an ad-hoc run of a handler with no job behind it.
import { beforeAll, describe, expect, it } from "vitest";


import { getPrisma } from "@/lib/db";
import { api } from "../../support/api";
import {
  auditRows,
  createIdentities,
  detailPaths,
  executionRow,
  expectError,
  resetDatabase,
  settleActiveExecutions,
  waitForStatus,
  type Identities,
} from "../../support/fixtures";
import { useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const enqueue = (body: unknown, token = who.operator, headers?: Record<string, string>) => api("POST", "/api/enqueue", { token, body, headers });
const executionCount = async () => (await getPrisma()).execution.count();

describe("POST /api/enqueue", () => {
  it("answers 202 with a QUEUED manual execution with no job, its params completed by the handler's defaults", async () => {
    await settleActiveExecutions();
    const response = await enqueue({ type: "demo.sleep", params: { durationMs: 20 } });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const { execution } = response.body;
    expect(response.body.warning).toBeUndefined();
    expect(response.headers.get("location")).toBe(`/api/executions/${execution.id}`);
    expect(execution).toMatchObject({
      jobId: null,
      jobVersion: null,
      jobName: "demo.sleep",
      type: "demo.sleep",
      status: "QUEUED",
      trigger: "manual",
      triggeredBy: who.tokenNames.operator,
      attempt: 1,
      cancelRequested: false,
      error: null,
      params: { durationMs: 20, steps: 5, fail: false, ignoreCancel: false },
    });
    expect(await executionRow(execution.id)).toMatchObject({ timeoutSeconds: 3600, maxAttempts: 1, retryBackoffSeconds: 30 });
  });

  it("runs on a worker like any other execution", async () => {
    workers.start();
    const response = await enqueue({ type: "demo.sleep", params: { durationMs: 30, steps: 1 }, timeoutSeconds: 5 });
    expect(response.status).toBe(202);
    const row = await waitForStatus(response.body.execution.id, "SUCCEEDED");
    expect(row.result).toEqual({ sleptMs: 30, steps: 1 });
    expect(row.timeoutSeconds).toBe(5);
  });

  it("is audited as execution.enqueue by the token's name", async () => {
    const response = await enqueue({ type: "demo.sleep", params: {} });
    const events = await auditRows(response.body.execution.id);
    expect(events.map((event) => event.action)).toEqual(["execution.enqueue"]);
    expect(events[0]).toMatchObject({ actor: who.tokenNames.operator, targetType: "execution" });
  });

  it("warns ALREADY_RUNNING when another ad-hoc run of the same type is active", async () => {
    await settleActiveExecutions();
    const first = await enqueue({ type: "demo.sleep" });
    expect(first.status).toBe(202);
    expect(first.body.warning).toBeUndefined();
    const second = await enqueue({ type: "demo.sleep" });
    expect(second.body.warning).toMatchObject({ code: "ALREADY_RUNNING", activeExecutionIds: [first.body.execution.id] });
    await settleActiveExecutions();
  });

  it("answers 400 for an unknown or system-only type and for params the handler refuses; nothing is queued", async () => {
    const before = await executionCount();
    const unknown = expectError(await enqueue({ type: "nope.nothing", params: {} }), 400, "VALIDATION_FAILED");
    expect(detailPaths(unknown)).toEqual(["type"]);
    expectError(await enqueue({ type: "system.retention", params: { keepDays: 1 } }), 400, "VALIDATION_FAILED");
    const bad = expectError(await enqueue({ type: "demo.sleep", params: { durationMs: -1, extra: true } }), 400, "VALIDATION_FAILED");
    expect(detailPaths(bad).sort()).toEqual(["params.durationMs", "params.extra"]);
    const http = expectError(await enqueue({ type: "http.request", params: { url: "ftp://example.test" } }), 400, "VALIDATION_FAILED");
    expect(detailPaths(http)).toEqual(["params.url"]);
    expect(await executionCount()).toBe(before);
  });

  it("answers 400 for a missing type, unknown fields, wrong types and malformed JSON; 415 for non-JSON", async () => {
    const before = await executionCount();
    expect(detailPaths(expectError(await enqueue({ params: {} }), 400, "VALIDATION_FAILED"))).toEqual(["type"]);
    expect(detailPaths(expectError(await enqueue({ type: "demo.sleep", priority: 1 }), 400, "VALIDATION_FAILED"))).toEqual(["priority"]);
    expect(detailPaths(expectError(await enqueue({ type: 42 }), 400, "VALIDATION_FAILED"))).toEqual(["type"]);
    expect(detailPaths(expectError(await enqueue({ type: "demo.sleep", params: [] }), 400, "VALIDATION_FAILED"))).toEqual(["params"]);
    expect(detailPaths(expectError(await enqueue({ type: "demo.sleep", timeoutSeconds: 0 }), 400, "VALIDATION_FAILED"))).toEqual(["timeoutSeconds"]);
    expect(detailPaths(expectError(await enqueue({ type: "demo.sleep", maxAttempts: 1.5 }), 400, "VALIDATION_FAILED"))).toEqual(["maxAttempts"]);
    expectError(await enqueue({ type: "  " }), 400, "VALIDATION_FAILED");
    expectError(await enqueue("{\"type\": "), 400, "VALIDATION_FAILED");
    expectError(await enqueue(""), 400, "VALIDATION_FAILED");
    expectError(await enqueue("[\"demo.sleep\"]"), 400, "VALIDATION_FAILED");
    expectError(await enqueue("type=demo.sleep", who.operator, { "content-type": "application/x-www-form-urlencoded" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(await executionCount()).toBe(before);
  });

  it("is refused to viewers (403) and without valid credentials (401)", async () => {
    const before = await executionCount();
    expectError(await enqueue({ type: "demo.sleep" }, who.viewer), 403, "FORBIDDEN");
    expectError(await api("POST", "/api/enqueue", { body: { type: "demo.sleep" } }), 401, "UNAUTHENTICATED");
    expectError(await enqueue({ type: "demo.sleep" }, who.revoked), 401, "UNAUTHENTICATED");
    expect(await executionCount()).toBe(before);
    expect((await enqueue({ type: "demo.sleep" }, who.admin)).status).toBe(202);
    await settleActiveExecutions();
  });
});
