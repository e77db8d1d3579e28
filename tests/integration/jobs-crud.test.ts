// The success paths of the jobs API: create, read, list with filters and pages, replace, patch,
// soft delete, enable/disable and reset, checked in the answers and in the database.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import {
  auditActions,
  auditRows,
  createIdentities,
  expectError,
  insertExecution,
  jobInput,
  jobRow,
  markFailed,
  nextMillisecond,
  postJob,
  resetDatabase,
  type Identities,
} from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const JOB_FIELDS = [
  "id", "name", "description", "type", "params", "schedule", "enabled", "health", "systemManaged",
  "overlapPolicy", "misfirePolicy", "timeoutSeconds", "maxAttempts", "retryBackoffSeconds", "pauseAfterFailures",
  "nextRunAt", "lastRunAt", "lastStatus", "consecutiveFailures", "notes", "version", "createdAt", "updatedAt", "createdBy",
];

const unique = (label: string) => `${label} ${crypto.randomUUID().slice(0, 8)}`;

describe("POST /api/jobs", () => {
  it("creates a job with the contract's defaults, Location and ETag, and a row in the table", async () => {
    const response = await api("POST", "/api/jobs", {
      token: who.operator,
      body: {
        name: "  Nightly Backup  ",
        type: "http.request",
        params: { url: "https://example.test/hook" },
        schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const job = response.body;
    for (const field of JOB_FIELDS) expect(job, `field ${field}`).toHaveProperty(field);
    expect(job.id).toMatch(UUID);
    expect(response.headers.get("location")).toBe(`/api/jobs/${job.id}`);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(job).toMatchObject({
      name: "Nightly Backup",
      description: null,
      type: "http.request",
      schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
      enabled: true,
      health: "active",
      systemManaged: false,
      overlapPolicy: "skip",
      misfirePolicy: "run_once",
      timeoutSeconds: 3600,
      maxAttempts: 1,
      retryBackoffSeconds: 30,
      pauseAfterFailures: 0,
      lastRunAt: null,
      lastStatus: null,
      consecutiveFailures: 0,
      notes: null,
      version: 1,
      createdBy: who.tokenNames.operator,
    });
    expect(job.params.url).toBe("https://example.test/hook");
    expect(job.createdAt).toMatch(ISO);
    expect(job.updatedAt).toMatch(ISO);
    expect(job.nextRunAt).toMatch(ISO);

    const row = await jobRow(job.id);
    expect(row).toMatchObject({
      name: "Nightly Backup",
      type: "http.request",
      scheduleType: "cron",
      cronExpression: "0 2 * * *",
      timezone: "Europe/Berlin",
      enabled: true,
      version: 1,
      deletedAt: null,
      systemKey: null,
      createdBy: who.tokenNames.operator,
    });
    expect(row!.nextRunAt?.toISOString()).toBe(job.nextRunAt);
  });

  it("keeps every optional field that is given", async () => {
    const input = jobInput({
      description: "Backs up the database",
      enabled: false,
      overlapPolicy: "queue",
      misfirePolicy: "catch_up",
      timeoutSeconds: 60,
      maxAttempts: 3,
      retryBackoffSeconds: 5,
      pauseAfterFailures: 2,
      notes: "Ask Ann before changing",
      schedule: { type: "interval", everySeconds: 90 },
    });
    const job = await postJob(who.admin, input);
    expect(job).toMatchObject({
      description: "Backs up the database",
      enabled: false,
      overlapPolicy: "queue",
      misfirePolicy: "catch_up",
      timeoutSeconds: 60,
      maxAttempts: 3,
      retryBackoffSeconds: 5,
      pauseAfterFailures: 2,
      notes: "Ask Ann before changing",
      schedule: { type: "interval", everySeconds: 90 },
      nextRunAt: null,
      createdBy: who.tokenNames.admin,
    });
  });

  it("stores the handler's validated params with their defaults", async () => {
    const job = await postJob(who.operator, { type: "demo.sleep", params: { durationMs: 25 } });
    expect(job.params).toEqual({ durationMs: 25, steps: 5, fail: false, failMessage: "demo.sleep was asked to fail", ignoreCancel: false });
    const row = await jobRow(job.id);
    expect(row!.params).toEqual(job.params);
  });

  it("accepts each schedule type", async () => {
    const schedules = [
      { type: "cron", expression: "*/5 * * * *", timezone: "UTC" },
      { type: "cron", expression: "30 0 2 * * *", timezone: "Asia/Tokyo" },
      { type: "interval", everySeconds: 1 },
      { type: "interval", everySeconds: 31_536_000 },
      { type: "once", at: new Date(Date.now() + 86_400_000).toISOString() },
      { type: "manual" },
    ] as const;
    for (const schedule of schedules) {
      const job = await postJob(who.operator, { schedule });
      expect(job.schedule).toEqual(schedule);
    }
  });
});

describe("GET /api/jobs/:id", () => {
  it("answers the job with an ETag, its newest 20 executions and its audit events, newest first", async () => {
    const job = await postJob(who.operator);
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 25; i++) await insertExecution(job, new Date(base + i * 1000));
    await nextMillisecond();
    await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "edited" } });

    const response = await api("GET", `/api/jobs/${job.id}`, { token: who.viewer });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(response.body).toMatchObject({ id: job.id, name: job.name, notes: "edited", version: 2 });
    const executions = response.body.recentExecutions;
    expect(executions).toHaveLength(20);
    const queued = executions.map((execution: { queuedAt: string }) => execution.queuedAt);
    expect(queued[0]).toBe(new Date(base + 24_000).toISOString());
    expect(queued[19]).toBe(new Date(base + 5000).toISOString());
    expect([...queued].sort().reverse()).toEqual(queued);
    expect(executions[0]).toMatchObject({ jobId: job.id, jobName: job.name, status: "SUCCEEDED", trigger: "schedule" });
    expect(response.body.audit.map((event: { action: string }) => event.action)).toEqual(["job.update", "job.create"]);
  });

  it("answers 404 for an id that does not exist", async () => {
    expectError(await api("GET", `/api/jobs/${crypto.randomUUID()}`, { token: who.viewer }), 404, "NOT_FOUND");
  });
});

describe("GET /api/jobs", () => {
  const prefix = unique("Filter");
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.sleepOn = (await postJob(who.operator, { name: `${prefix} alpha`, type: "demo.sleep" })).id;
    ids.httpOn = (await postJob(who.operator, {
      name: `${prefix} bravo`,
      type: "http.request",
      params: { url: "https://example.test/a" },
    })).id;
    ids.sleepOff = (await postJob(who.operator, { name: `${prefix} charlie`, type: "demo.sleep", enabled: false })).id;
    ids.httpFailed = (await postJob(who.operator, {
      name: `${prefix} delta`,
      type: "http.request",
      params: { url: "https://example.test/b" },
    })).id;
    ids.sleepSucceeded = (await postJob(who.operator, { name: `${prefix} echo`, type: "demo.sleep" })).id;
    ids.deleted = (await postJob(who.operator, { name: `${prefix} foxtrot`, type: "demo.sleep" })).id;
    await markFailed(ids.httpFailed);
    const db = await getPrisma();
    await db.job.update({ where: { id: ids.sleepSucceeded }, data: { lastStatus: "SUCCEEDED", lastRunAt: new Date() } });
    expect((await api("DELETE", `/api/jobs/${ids.deleted}`, { token: who.operator })).status).toBe(204);
  });

  const list = async (query: string) => {
    const response = await api("GET", `/api/jobs?query=${encodeURIComponent(prefix)}&${query}`, { token: who.viewer });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { items: { id: string }[]; total: number; page: number; pageSize: number };
  };
  const idsOf = (page: { items: { id: string }[] }) => page.items.map((item) => item.id).sort();

  it("answers a page with items, total, page and pageSize (defaults 1 and 50)", async () => {
    const response = await api("GET", "/api/jobs", { token: who.viewer });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: expect.any(Array), total: expect.any(Number), page: 1, pageSize: 50 });
    expect(response.body.total).toBeGreaterThanOrEqual(response.body.items.length);
  });

  it("finds names by a case-insensitive substring and leaves soft-deleted jobs out", async () => {
    const page = await list("");
    expect(idsOf(page)).toEqual([ids.sleepOn, ids.httpOn, ids.sleepOff, ids.httpFailed, ids.sleepSucceeded].sort());
    expect(page.total).toBe(5);
    const upper = await api("GET", `/api/jobs?query=${encodeURIComponent(`${prefix} BRAVO`.toUpperCase())}`, { token: who.viewer });
    expect(upper.body.items.map((item: { id: string }) => item.id)).toEqual([ids.httpOn]);
  });

  it("treats %, _ and \\ in the query as plain characters", async () => {
    const percent = await postJob(who.operator, { name: unique("100% done") });
    const backslash = await postJob(who.operator, { name: unique("C:\\temp") });
    const found = await api("GET", `/api/jobs?query=${encodeURIComponent(":\\t")}`, { token: who.viewer });
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([backslash.id]);
    await postJob(who.operator, { name: unique("1000 done") });
    const response = await api("GET", `/api/jobs?query=${encodeURIComponent("100%")}`, { token: who.viewer });
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([percent.id]);
    const underscore = await api("GET", `/api/jobs?query=${encodeURIComponent("10_0")}`, { token: who.viewer });
    expect(underscore.body.total).toBe(0);
  });

  it("filters by type, enabled, health and lastStatus, alone and together", async () => {
    expect(idsOf(await list("type=http.request"))).toEqual([ids.httpOn, ids.httpFailed].sort());
    expect(idsOf(await list("type=demo.sleep"))).toEqual([ids.sleepOn, ids.sleepOff, ids.sleepSucceeded].sort());
    expect(idsOf(await list("enabled=false"))).toEqual([ids.sleepOff]);
    expect(idsOf(await list("enabled=true"))).toEqual([ids.sleepOn, ids.httpOn, ids.httpFailed, ids.sleepSucceeded].sort());
    expect(idsOf(await list("health=failed"))).toEqual([ids.httpFailed]);
    expect((await list("health=active")).total).toBe(4);
    expect(idsOf(await list("lastStatus=FAILED"))).toEqual([ids.httpFailed]);
    expect(idsOf(await list("lastStatus=SUCCEEDED"))).toEqual([ids.sleepSucceeded]);
    expect((await list("lastStatus=RUNNING")).total).toBe(0);
    expect(idsOf(await list("type=demo.sleep&enabled=true"))).toEqual([ids.sleepOn, ids.sleepSucceeded].sort());
    expect((await list("type=http.request&health=failed&enabled=true")).total).toBe(1);
    expect((await list("type=nothing.here")).items).toEqual([]);
  });

  it("pages through every match exactly once", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = await list(`page=${page}&pageSize=2`);
      expect(body).toMatchObject({ total: 5, page, pageSize: 2 });
      expect(body.items.length).toBe(page < 3 ? 2 : 1);
      seen.push(...body.items.map((item) => item.id));
    }
    expect(new Set(seen).size).toBe(5);
    const beyond = await list("page=4&pageSize=2");
    expect(beyond).toMatchObject({ items: [], total: 5, page: 4 });
  });

  it("lists each job exactly as GET /api/jobs/:id answers it", async () => {
    const chained = await postJob(who.operator, {
      name: `${prefix} golf`,
      description: "every field set",
      notes: "a note",
      params: { durationMs: 5, steps: 2 },
      schedule: { type: "cron", expression: "15 3 * * *", timezone: "Europe/Berlin" },
      onSuccess: [ids.sleepOn],
      onFailure: [ids.httpOn, ids.sleepOff],
      maxAttempts: 3,
    });
    try {
      const listed = (await list("pageSize=200")).items as Record<string, unknown>[];
      expect(listed.map((item) => item.id)).toContain(chained.id);
      for (const item of listed) {
        const detail = await api("GET", `/api/jobs/${item.id}`, { token: who.viewer });
        const { recentExecutions: _executions, audit: _audit, ...job } = detail.body;
        expect(item, item.name as string).toEqual(job);
      }
    } finally {
      expect((await api("DELETE", `/api/jobs/${chained.id}`, { token: who.operator })).status).toBe(204);
    }
  });

  it("accepts pageSize up to 200", async () => {
    const body = await list("pageSize=200");
    expect(body.pageSize).toBe(200);
    expect(body.total).toBe(5);
  });

  it("lists the system-managed job as systemManaged", async () => {
    const response = await api("GET", "/api/jobs?type=system.retention", { token: who.viewer });
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({ name: "Execution history retention", systemManaged: true });
  });
});

describe("PUT /api/jobs/:id", () => {
  it("replaces every editable field; omitted optional fields return to their defaults", async () => {
    const job = await postJob(who.operator, {
      description: "old",
      notes: "old notes",
      overlapPolicy: "allow",
      maxAttempts: 4,
      timeoutSeconds: 10,
      enabled: false,
    });
    const name = unique("Replaced");
    const response = await api("PUT", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { name, type: "http.request", params: { url: "https://example.test/put" }, schedule: { type: "manual" } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(response.body).toMatchObject({
      id: job.id,
      name,
      type: "http.request",
      schedule: { type: "manual" },
      description: null,
      notes: null,
      overlapPolicy: "skip",
      maxAttempts: 1,
      timeoutSeconds: 3600,
      enabled: true,
      nextRunAt: null,
      version: 2,
      createdBy: job.createdBy,
      createdAt: job.createdAt,
    });
    expect(response.body.params.url).toBe("https://example.test/put");
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ name, type: "http.request", scheduleType: "manual", cronExpression: null, notes: null, version: 2 });
  });

  it("accepts a matching If-Match or body version", async () => {
    const job = await postJob(who.operator);
    const first = await api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: { ...jobInput(), name: job.name, notes: "first" }, headers: { "if-match": '"1"' } });
    expect(first.status).toBe(200);
    const second = await api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: { ...jobInput(), name: job.name, notes: "second", version: 2 } });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(3);
  });

  it("changes nothing, not even the version, when the replacement equals the job", async () => {
    const job = await postJob(who.operator);
    const auditBefore = await auditRows(job.id);
    const same = await api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: { ...jobInput(), name: job.name }, headers: { "if-match": '"1"' } });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    expect(await auditRows(job.id)).toHaveLength(auditBefore.length);
    const emptyPatch = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: {} });
    expect(emptyPatch.body.version).toBe(1);
  });
});

describe("PATCH /api/jobs/:id", () => {
  it("changes only the given fields and bumps the version", async () => {
    const job = await postJob(who.operator, { description: "keep me", maxAttempts: 2 });
    const response = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "new notes" } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    const { notes, version, updatedAt, ...rest } = response.body;
    expect(notes).toBe("new notes");
    expect(version).toBe(2);
    expect(new Date(updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.updatedAt).getTime());
    const { notes: _n, version: _v, updatedAt: _u, ...before } = job;
    expect(rest).toEqual(before);
    expect(await jobRow(job.id)).toMatchObject({ notes: "new notes", description: "keep me", maxAttempts: 2, version: 2 });
  });

  it("trims a new name, clears nullable fields and replaces params", async () => {
    const job = await postJob(who.operator, { description: "something", params: { durationMs: 10, steps: 2 } });
    const name = unique("Renamed");
    const response = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { name: `   ${name}   `, description: null, params: { durationMs: 99 } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ name, description: null });
    expect(response.body.params).toMatchObject({ durationMs: 99, steps: 5 });
  });

  it("changes the type together with matching params", async () => {
    const job = await postJob(who.operator);
    const response = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { type: "http.request", params: { url: "https://example.test/x", method: "POST" } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ type: "http.request", params: { url: "https://example.test/x", method: "POST" } });
  });

  it("may rename a job to a different case of its own name", async () => {
    const job = await postJob(who.operator, { name: unique("lower case") });
    const response = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { name: job.name.toUpperCase() } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.name).toBe(job.name.toUpperCase());
  });
});

describe("DELETE /api/jobs/:id", () => {
  it("soft-deletes: 204, gone from reads, the row, its executions and audit stay", async () => {
    const job = await postJob(who.operator);
    const execution = await insertExecution(job, new Date(Date.now() - 60_000));
    const response = await api("DELETE", `/api/jobs/${job.id}`, { token: who.operator });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();

    const row = await jobRow(job.id);
    expect(row).not.toBeNull();
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(row!.enabled).toBe(false);
    expect(row!.nextRunAt).toBeNull();
    const db = await getPrisma();
    expect(await db.execution.findUnique({ where: { id: execution.id } })).toMatchObject({ jobId: job.id });
    expect(await auditActions(job.id)).toEqual(["job.create", "job.delete"]);

    expectError(await api("GET", `/api/jobs/${job.id}`, { token: who.viewer }), 404, "NOT_FOUND");
    const listed = await api("GET", `/api/jobs?query=${encodeURIComponent(job.name)}`, { token: who.viewer });
    expect(listed.body.total).toBe(0);
    expectError(await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "x" } }), 404, "NOT_FOUND");
    expectError(await api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: jobInput() }), 404, "NOT_FOUND");
    expectError(await api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator }), 404, "NOT_FOUND");
    expectError(await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator }), 404, "NOT_FOUND");
    expectError(await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator }), 404, "NOT_FOUND");
    expectError(await api("DELETE", `/api/jobs/${job.id}`, { token: who.operator }), 404, "NOT_FOUND");
    const audit = await api("GET", `/api/audit?targetId=${job.id}`, { token: who.operator });
    expect(audit.body.total).toBe(2);
  });

  it("frees the name for a new job, case-insensitively", async () => {
    const name = unique("Reusable");
    const first = await postJob(who.operator, { name });
    expectError(await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ name: name.toLowerCase() }) }), 409, "CONFLICT");
    expect((await api("DELETE", `/api/jobs/${first.id}`, { token: who.operator })).status).toBe(204);
    const second = await postJob(who.operator, { name: name.toLowerCase() });
    expect(second.id).not.toBe(first.id);
    const db = await getPrisma();
    const rows = await db.job.findMany({ where: { name: { equals: name, mode: "insensitive" } } });
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.deletedAt === null).map((row) => row.id)).toEqual([second.id]);
  });

  it("accepts a matching If-Match or body version", async () => {
    const one = await postJob(who.operator);
    expect((await api("DELETE", `/api/jobs/${one.id}`, { token: who.operator, headers: { "if-match": '"1"' } })).status).toBe(204);
    const two = await postJob(who.operator);
    expect((await api("DELETE", `/api/jobs/${two.id}`, { token: who.operator, body: { version: 1 } })).status).toBe(204);
  });
});

describe("POST /api/jobs/:id/enable and /disable", () => {
  it("disables and enables; a second identical call changes nothing and writes no audit event", async () => {
    const job = await postJob(who.operator);
    const disabled = await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator });
    expect(disabled.status).toBe(200);
    expect(disabled.headers.get("etag")).toBe('"2"');
    expect(disabled.body).toMatchObject({ id: job.id, enabled: false, nextRunAt: null, version: 2 });
    expect(await jobRow(job.id)).toMatchObject({ enabled: false, nextRunAt: null, version: 2 });

    const again = await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(disabled.body);
    expect(again.headers.get("etag")).toBe('"2"');
    expect(await auditActions(job.id)).toEqual(["job.create", "job.disable"]);

    const enabled = await api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, version: 3 });
    expect(enabled.body.nextRunAt).toMatch(ISO);
    const enabledAgain = await api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator, body: { version: 3 } });
    expect(enabledAgain.status).toBe(200);
    expect(enabledAgain.body).toEqual(enabled.body);
    expect(await auditActions(job.id)).toEqual(["job.create", "job.disable", "job.enable"]);
    expect(await jobRow(job.id)).toMatchObject({ enabled: true, version: 3 });
  });

  it("accepts an empty JSON object as the body", async () => {
    const job = await postJob(who.operator);
    expect((await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator, body: {} })).status).toBe(200);
  });
});

describe("POST /api/jobs/:id/reset", () => {
  it("answers 409 INVALID_STATE for a job that is not failed, and changes nothing", async () => {
    const job = await postJob(who.operator);
    expectError(await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator }), 409, "INVALID_STATE");
    expect(await jobRow(job.id)).toMatchObject({ health: "active", version: 1 });
    expect(await auditRows(job.id)).toHaveLength(1);
  });

  it("makes a failed job active again, clears its failures and schedules it", async () => {
    const job = await postJob(who.operator, { pauseAfterFailures: 3 });
    await markFailed(job.id, 3);
    const failed = await api("GET", `/api/jobs/${job.id}`, { token: who.viewer });
    expect(failed.body).toMatchObject({ health: "failed", consecutiveFailures: 3, nextRunAt: null });

    const response = await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator, headers: { "if-match": '"1"' } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(response.body).toMatchObject({ health: "active", consecutiveFailures: 0, version: 2, enabled: true });
    expect(new Date(response.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect(await jobRow(job.id)).toMatchObject({ health: "active", consecutiveFailures: 0, version: 2 });

    expectError(await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator }), 409, "INVALID_STATE");
  });

  it("leaves a disabled job unscheduled", async () => {
    const job = await postJob(who.operator, { enabled: false });
    await markFailed(job.id);
    const response = await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator, body: { version: 1 } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ health: "active", enabled: false, nextRunAt: null });
  });
});

describe("/api/v1 paths", () => {
  it("serve the same handlers", async () => {
    const created = await api("POST", "/api/v1/jobs", { token: who.operator, body: jobInput() });
    expect(created.status).toBe(201);
    const read = await api("GET", `/api/v1/jobs/${created.body.id}`, { token: who.viewer });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.body.id);
    const patched = await api("PATCH", `/api/v1/jobs/${created.body.id}`, { token: who.operator, body: { notes: "v1" } });
    expect(patched.body).toMatchObject({ notes: "v1", version: 2 });
    expect((await api("POST", `/api/v1/jobs/${created.body.id}/disable`, { token: who.operator })).body.enabled).toBe(false);
    expect((await api("GET", "/api/v1/jobs?pageSize=1", { token: who.viewer })).body.pageSize).toBe(1);
    expect((await api("DELETE", `/api/v1/jobs/${created.body.id}`, { token: who.operator })).status).toBe(204);
    expectError(await api("GET", `/api/v1/jobs/${created.body.id}`, { token: who.viewer }), 404, "NOT_FOUND");
  });
});
