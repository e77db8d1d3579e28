// The read side of executions: history with the contract's filters and pages, one execution (also
// through its job), the active list and the stats; plus bad input and roles for every new endpoint.
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // This file checks the answer when the HTTP tick is not configured.
  delete process.env.CRON_SECRET;
});

import { getPrisma, type Execution } from "@/lib/db";
import { api } from "../../support/api";
import { createIdentities, detailPaths, expectError, postJob, resetDatabase, type Identities } from "../../support/fixtures";
import { insertExecutionOf } from "./support";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const get = (path: string, token: string | undefined = who.viewer) => api("GET", path, { token });
const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((item) => item.id);

const EXECUTION_FIELDS = [
  "id", "jobId", "jobVersion", "jobName", "type", "status", "cancelRequested", "trigger", "triggeredBy", "attempt", "parentExecutionId",
  "params", "scheduledFor", "queuedAt", "startedAt", "finishedAt", "lastHeartbeatAt", "durationMs", "queueDelayMs",
  "progress", "result", "error", "workerId",
].sort();

describe("reading executions", () => {
  const T0 = new Date("2026-06-01T10:00:00.000Z");
  const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
  let jobA: any;
  let jobB: any;
  let deletedJob: any;
  /** Seeded executions by name, oldest queuedAt first. */
  const seeded: Record<string, Execution> = {};
  /** Names newest first: the order every list answers in. */
  const newestFirst = (names: string[]) => names.sort((a, b) => seeded[b].queuedAt.getTime() - seeded[a].queuedAt.getTime()).map((name) => seeded[name].id);

  beforeAll(async () => {
    const db = await getPrisma();
    await db.execution.deleteMany();
    jobA = await postJob(who.operator, { schedule: { type: "manual" } });
    jobB = await postJob(who.operator, { schedule: { type: "manual" }, type: "http.request", params: { url: "https://example.test/hook" } });
    deletedJob = await postJob(who.operator, { schedule: { type: "manual" } });
    const finished = (seconds: number, durationMs = 100) => ({ startedAt: at(seconds), finishedAt: at(seconds + 1), durationMs });
    const rows: [string, any, object][] = [
      ["a1", jobA, { status: "SUCCEEDED", trigger: "schedule", ...finished(0), result: { ok: true } }],
      ["a2", jobA, { status: "FAILED", trigger: "retry", attempt: 2, errorCode: "HANDLER_ERROR", errorMessage: "boom", ...finished(1) }],
      ["a3", jobA, { status: "QUEUED", trigger: "manual", triggeredBy: "someone@example.test" }],
      ["b1", jobB, { status: "SUCCEEDED", trigger: "schedule", ...finished(3) }],
      ["b2", jobB, { status: "CANCELLED", trigger: "manual", errorCode: "CANCELLED", errorMessage: "stop", finishedAt: at(5) }],
      ["x1", null, { status: "SKIPPED", trigger: "manual", errorCode: "OVERLAP", errorMessage: "busy", finishedAt: at(5) }],
      ["r1", jobB, { status: "RUNNING", trigger: "schedule", startedAt: at(6), lastHeartbeatAt: at(7), workerId: "w-1", progressPercent: 40, progressMessage: "Step 2/5" }],
      ["d1", deletedJob, { status: "SUCCEEDED", trigger: "manual", ...finished(7) }],
    ];
    for (const [index, [name, job, data]] of rows.entries()) {
      seeded[name] = await insertExecutionOf(job, { queuedAt: at(index), scheduledFor: at(index), ...data });
    }
    expect((await api("DELETE", `/api/jobs/${deletedJob.id}`, { token: who.operator })).status).toBe(204);
  });

  it("GET /api/executions lists everything newest first, with total, page and pageSize", async () => {
    const response = await get("/api/executions");
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual(newestFirst(Object.keys(seeded)));
    expect(response.body).toMatchObject({ total: 8, page: 1, pageSize: 50 });
    for (const item of response.body.items) expect(Object.keys(item).sort()).toEqual(EXECUTION_FIELDS);
    const running = response.body.items.find((item: { id: string }) => item.id === seeded.r1.id);
    expect(running).toMatchObject({ status: "RUNNING", progress: { percent: 40, message: "Step 2/5" }, workerId: "w-1", cancelRequested: false });
    const failed = response.body.items.find((item: { id: string }) => item.id === seeded.a2.id);
    expect(failed).toMatchObject({ status: "FAILED", error: { code: "HANDLER_ERROR", message: "boom" }, attempt: 2, trigger: "retry" });
  });

  it.each([
    ["jobId", () => `jobId=${jobA.id}`, ["a1", "a2", "a3"]],
    ["type", () => "type=http.request", ["b1", "b2", "r1"]],
    ["status", () => "status=SUCCEEDED", ["a1", "b1", "d1"]],
    ["trigger", () => "trigger=manual", ["a3", "b2", "x1", "d1"]],
    ["trigger retry", () => "trigger=retry", ["a2"]],
    ["from (inclusive)", () => `from=${at(5).toISOString()}`, ["x1", "r1", "d1"]],
    ["to (exclusive)", () => `to=${at(2).toISOString()}`, ["a1", "a2"]],
    ["from and to with an offset", () => "from=2026-06-01T12:00:01%2B02:00&to=2026-06-01T10:00:04Z", ["a2", "a3", "b1"]],
    ["combined", () => `jobId=${jobB.id}&status=CANCELLED&trigger=manual`, ["b2"]],
    ["the deleted job's history", () => `jobId=${deletedJob.id}`, ["d1"]],
    ["nothing matches", () => `jobId=${jobA.id}&type=http.request`, []],
  ])("filters by %s", async (_label, query, names) => {
    const response = await get(`/api/executions?${query()}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(ids(response)).toEqual(newestFirst([...names]));
    expect(response.body.total).toBe(names.length);
  });

  it("pages with page and pageSize", async () => {
    const all = newestFirst(Object.keys(seeded));
    const first = await get("/api/executions?pageSize=3");
    expect(ids(first)).toEqual(all.slice(0, 3));
    expect(first.body).toMatchObject({ total: 8, page: 1, pageSize: 3 });
    const third = await get("/api/executions?pageSize=3&page=3");
    expect(ids(third)).toEqual(all.slice(6, 8));
    const beyond = await get("/api/executions?pageSize=3&page=9");
    expect(beyond.body).toMatchObject({ items: [], total: 8, page: 9 });
    expect((await get("/api/executions?pageSize=200")).status).toBe(200);
  });

  it.each([
    ["status=DONE", "status"],
    ["status=succeeded", "status"],
    ["trigger=cron", "trigger"],
    ["from=yesterday", "from"],
    ["to=2026-13-01T00:00:00Z", "to"],
    ["from=2026-06-01", "from"],
    ["jobId=42", "jobId"],
    ["page=0", "page"],
    ["page=-1", "page"],
    ["page=1.5", "page"],
    ["pageSize=0", "pageSize"],
    ["pageSize=201", "pageSize"],
    ["pageSize=ten", "pageSize"],
    [`type=${"x".repeat(101)}`, "type"],
    ["sort=asc", "sort"],
    ["status=%00", "status"],
  ])("GET /api/executions?%s answers 400 naming %s", async (query, path) => {
    const error = expectError(await get(`/api/executions?${query}`), 400, "VALIDATION_FAILED");
    expect(detailPaths(error)).toContain(path);
  });

  it("GET /api/jobs/:id/executions lists the job's history newest first, filtered by status and paged", async () => {
    const response = await get(`/api/jobs/${jobA.id}/executions`);
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual(newestFirst(["a1", "a2", "a3"]));
    expect(response.body).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(ids(await get(`/api/jobs/${jobA.id}/executions?status=FAILED`))).toEqual([seeded.a2.id]);
    const paged = await get(`/api/jobs/${jobA.id}/executions?pageSize=1&page=2`);
    expect(ids(paged)).toEqual([seeded.a2.id]);
    expect(paged.body.total).toBe(3);
    expect(ids(await get(`/api/v1/jobs/${jobB.id}/executions?status=RUNNING`))).toEqual([seeded.r1.id]);
  });

  it("GET /api/jobs/:id/executions answers 404 for unknown, deleted and malformed job ids, 400 for bad queries", async () => {
    expectError(await get("/api/jobs/00000000-0000-4000-8000-000000000000/executions"), 404, "NOT_FOUND");
    expectError(await get(`/api/jobs/${deletedJob.id}/executions`), 404, "NOT_FOUND");
    expectError(await get("/api/jobs/job-a/executions"), 404, "NOT_FOUND");
    expect(detailPaths(expectError(await get(`/api/jobs/${jobA.id}/executions?status=nope`), 400, "VALIDATION_FAILED"))).toEqual(["status"]);
    expect(detailPaths(expectError(await get(`/api/jobs/${jobA.id}/executions?pageSize=500`), 400, "VALIDATION_FAILED"))).toEqual(["pageSize"]);
    expect(detailPaths(expectError(await get(`/api/jobs/${jobA.id}/executions?trigger=cron`), 400, "VALIDATION_FAILED"))).toEqual(["trigger"]);
    expect(detailPaths(expectError(await get(`/api/jobs/${jobA.id}/executions?type=demo.sleep`), 400, "VALIDATION_FAILED"))).toEqual(["type"]);
  });

  it("GET /api/executions/:id answers the execution; 404 for unknown and malformed ids", async () => {
    const response = await get(`/api/executions/${seeded.a1.id}`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(EXECUTION_FIELDS);
    expect(response.body).toMatchObject({
      id: seeded.a1.id,
      jobId: jobA.id,
      jobName: jobA.name,
      status: "SUCCEEDED",
      result: { ok: true },
      durationMs: 100,
      scheduledFor: at(0).toISOString(),
      startedAt: at(0).toISOString(),
      finishedAt: at(1).toISOString(),
    });
    // A deleted job's history stays readable.
    expect((await get(`/api/executions/${seeded.d1.id}`)).status).toBe(200);
    expectError(await get("/api/executions/00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
    expectError(await get("/api/executions/abc"), 404, "NOT_FOUND");
    expectError(await get(`/api/executions/${seeded.a1.id}x`), 404, "NOT_FOUND");
  });

  it("GET /api/jobs/:id/executions/:executionId answers the job's execution, 404 when it belongs to another job or the job is gone", async () => {
    const own = await get(`/api/jobs/${jobA.id}/executions/${seeded.a2.id}`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual((await get(`/api/executions/${seeded.a2.id}`)).body);
    expectError(await get(`/api/jobs/${jobB.id}/executions/${seeded.a2.id}`), 404, "NOT_FOUND");
    expectError(await get(`/api/jobs/${jobA.id}/executions/${seeded.x1.id}`), 404, "NOT_FOUND");
    expectError(await get(`/api/jobs/${jobA.id}/executions/00000000-0000-4000-8000-000000000000`), 404, "NOT_FOUND");
    expectError(await get(`/api/jobs/${jobA.id}/executions/latest`), 404, "NOT_FOUND");
    expectError(await get(`/api/jobs/not-a-job/executions/${seeded.a2.id}`), 404, "NOT_FOUND");
    expectError(await get(`/api/jobs/${deletedJob.id}/executions/${seeded.d1.id}`), 404, "NOT_FOUND");
  });

  it("GET /api/executions/active answers the QUEUED and RUNNING executions only", async () => {
    const response = await get("/api/executions/active");
    expect(response.status).toBe(200);
    expect(response.body.truncated).toBe(false);
    expect(ids(response).sort()).toEqual([seeded.a3.id, seeded.r1.id].sort());
    for (const item of response.body.items) expect(["QUEUED", "RUNNING"]).toContain(item.status);
  });

  it("every read is open to viewers and closed without valid credentials", async () => {
    const paths = [
      "/api/executions",
      "/api/executions/active",
      `/api/executions/${seeded.a1.id}`,
      `/api/jobs/${jobA.id}/executions`,
      `/api/jobs/${jobA.id}/executions/${seeded.a1.id}`,
      "/api/stats",
    ];
    for (const path of paths) {
      expect((await get(path, who.viewer)).status, path).toBe(200);
      expectError(await api("GET", path), 401, "UNAUTHENTICATED");
      expectError(await get(path, who.revoked), 401, "UNAUTHENTICATED");
    }
    expectError(await api("GET", "/api/events"), 401, "UNAUTHENTICATED");
  });
});

describe("GET /api/stats", () => {
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);
  const HOUR = 3_600_000;

  it("answers zeros and nulls when there is no history", async () => {
    const db = await getPrisma();
    await db.execution.deleteMany();
    const response = await get("/api/stats");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      active: 0,
      queued: 0,
      last24h: { succeeded: 0, failed: 0, cancelled: 0, total: 0 },
      successRate24h: null,
      p50DurationMs: null,
      p95DurationMs: null,
    });
  });

  it("counts active and queued runs, the last 24 h by outcome, the success rate and duration percentiles", async () => {
    const db = await getPrisma();
    await db.execution.deleteMany();
    const job = await postJob(who.operator, { schedule: { type: "manual" } });
    let n = 0;
    const add = (data: object) => insertExecutionOf(job, { scheduledFor: ago(48 * HOUR - ++n * 1000), ...data });
    for (let i = 0; i < 2; i++) await add({ status: "RUNNING", startedAt: ago(1000) });
    for (let i = 0; i < 3; i++) await add({ status: "QUEUED" });
    for (const durationMs of [100, 200, 300, 400]) await add({ status: "SUCCEEDED", finishedAt: ago(HOUR), durationMs });
    await add({ status: "FAILED", finishedAt: ago(2 * HOUR), durationMs: 500 });
    await add({ status: "CANCELLED", finishedAt: ago(3 * HOUR) });
    await add({ status: "SKIPPED", finishedAt: ago(4 * HOUR) });
    // Older than a day: not counted.
    await add({ status: "SUCCEEDED", finishedAt: ago(25 * HOUR), durationMs: 99_999 });
    await add({ status: "FAILED", finishedAt: ago(30 * HOUR), durationMs: 99_999 });

    const response = await get("/api/stats");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      active: 2,
      queued: 3,
      last24h: { succeeded: 4, failed: 1, cancelled: 1, total: 7 },
      successRate24h: 0.8,
      p50DurationMs: 300,
      p95DurationMs: 480,
    });
    expect(Math.abs(Date.parse(response.body.generatedAt) - Date.now())).toBeLessThan(10_000);
  });
});

describe("POST /api/cron/tick without CRON_SECRET configured", () => {
  it("answers 403 FORBIDDEN, whatever is sent", async () => {
    expectError(await api("POST", "/api/cron/tick"), 403, "FORBIDDEN");
    expectError(await api("POST", "/api/cron/tick", { headers: { authorization: "Bearer anything-at-all-1234567890" } }), 403, "FORBIDDEN");
    expectError(await api("POST", "/api/cron/tick", { token: who.admin }), 403, "FORBIDDEN");
  });
});

describe("bad input for the execution endpoints never answers 500", () => {
  const UNKNOWN = "00000000-0000-4000-8000-000000000000";
  const requests: [string, string, { body?: unknown; headers?: Record<string, string>; token?: "operator" | "admin" }][] = [
    ["POST", `/api/jobs/${UNKNOWN}/run`, { body: "{" }],
    ["POST", `/api/jobs/${UNKNOWN}/run-now`, { body: '{"params": null}' }],
    ["POST", "/api/jobs/%20/run", {}],
    ["POST", `/api/jobs/${"a".repeat(5000)}/run`, {}],
    ["POST", `/api/jobs/${UNKNOWN.toUpperCase()}/run`, {}],
    ["POST", `/api/executions/${UNKNOWN}/cancel`, { body: "{not json" }],
    ["POST", "/api/executions/%E2%80%8B/cancel", {}],
    ["POST", "/api/executions/cleanup-stalled", { body: "{", token: "admin" }],
    ["POST", "/api/enqueue", { body: '{"type": "demo.sleep", "params": {"durationMs": 1e400}}' }],
    ["POST", "/api/enqueue", { body: '{"type": "demo.sleep", "params": {"a\\u0000": 1}}' }],
    ["POST", "/api/enqueue", { body: `{"type": "demo.sleep", "params": ${"[".repeat(100)}${"]".repeat(100)}}` }],
    ["POST", "/api/enqueue", { body: { type: "demo.sleep", params: { failMessage: "nul\u0000" } } }],
    ["POST", "/api/enqueue", { body: { type: "demo.sleep".repeat(20) } }],
    ["GET", `/api/executions?from=${"9".repeat(40)}`, {}],
    ["GET", "/api/executions?page=99999999999999999999", {}],
    ["GET", "/api/executions?pageSize=1e3", {}],
    ["GET", "/api/executions?jobId=&status=", {}],
    ["GET", `/api/executions?from=2026-06-01T00:00:00Z&to=2020-01-01T00:00:00Z`, {}],
    ["GET", `/api/jobs/${UNKNOWN}/executions?page=abc`, {}],
    ["GET", `/api/jobs/${UNKNOWN}/executions/${UNKNOWN}`, {}],
    ["GET", "/api/executions/%00", {}],
    ["POST", "/api/cron/tick", { body: "{" }],
  ];

  it.each(requests)("%s %s", async (method, path, options) => {
    const token = options.token ? who[options.token] : who.operator;
    const response = await api(method, path, { token, body: options.body, headers: options.headers });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
    if (response.status >= 400) {
      expect(Object.keys(response.body)).toEqual(["error"]);
      expect(JSON.stringify(response.body)).not.toMatch(/node_modules|\.ts:\d+|prisma/i);
    }
  });
});
