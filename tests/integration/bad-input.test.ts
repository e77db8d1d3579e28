// Bad input for every endpoint that takes a body, a query, a path id or If-Match: each answers
// the contract's status and error shape, changes nothing, and nothing answers 500.
import crypto from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api, type ApiResponse } from "../support/api";
import {
  auditRows,
  createIdentities,
  insertExecution,
  detailPaths,
  expectError,
  jobInput,
  jobRow,
  postJob,
  resetDatabase,
  type Identities,
} from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const responses: ApiResponse[] = [];
const call = async (method: string, path: string, options: Parameters<typeof api>[2] = {}) => {
  const response = await api(method, path, { token: who.operator, ...options });
  responses.push(response);
  return response;
};

afterEach(() => {
  // Whatever a test asserted, no bad input may be answered with INTERNAL.
  const internal = responses.filter((response) => response.status >= 500);
  responses.length = 0;
  expect(internal.map((response) => response.body)).toEqual([]);
});

const unique = (label: string) => `${label} ${crypto.randomUUID().slice(0, 8)}`;
const KIB = 1024;
const deepJson = (depth: number) => "[".repeat(depth) + "1" + "]".repeat(depth);

/** A job's body with one field replaced by raw JSON text. */
const withRaw = (field: string, raw: string, base: Record<string, unknown> = jobInput()) =>
  JSON.stringify({ ...base, [field]: "__RAW__" }).replace('"__RAW__"', raw);

async function expectValidation(response: ApiResponse, path?: string | RegExp, field?: string) {
  const error = expectError(response, 400, "VALIDATION_FAILED");
  if (path !== undefined) {
    const paths = detailPaths(error);
    if (typeof path === "string") expect(paths).toContain(path);
    else expect(paths.some((p) => path.test(p)), `details ${JSON.stringify(error.details)}`).toBe(true);
  }
  if (field !== undefined) expect(error.field).toBe(field);
  return error;
}

describe("POST /api/jobs body", () => {
  const jobsNamed = async (name: string) => (await getPrisma()).job.count({ where: { name } });

  it.each([
    ["truncated JSON", '{"name": "x", '],
    ["single quotes", "{'name': 'x'}"],
    ["a trailing comma", '{"name": "x",}'],
    ["plain text", "hello"],
    ["a raw control character in a string", '{"name": "a\u0001b"}'],
  ])("malformed JSON (%s): 400 VALIDATION_FAILED", async (_label, text) => {
    await expectValidation(await call("POST", "/api/jobs", { body: text }));
  });

  it("an empty body: 400", async () => {
    await expectValidation(await call("POST", "/api/jobs", { body: "" }));
  });

  it.each([
    ["an array", "[]"],
    ["null", "null"],
    ["a string", '"job"'],
    ["a number", "42"],
  ])("a JSON body that is %s: 400", async (_label, text) => {
    await expectValidation(await call("POST", "/api/jobs", { body: text }));
  });

  it.each([
    ["name", 5, "name"],
    ["name", null, "name"],
    ["name", "   ", "name"],
    ["name", "x".repeat(201), "name"],
    ["description", "x".repeat(1001), "description"],
    ["notes", "x".repeat(1001), "notes"],
    ["notes", 7, "notes"],
    ["type", 1, "type"],
    ["type", "", "type"],
    ["enabled", "yes", "enabled"],
    ["enabled", 1, "enabled"],
    ["params", [], "params"],
    ["params", "durationMs=5", "params"],
    ["schedule", "0 2 * * *", "schedule"],
    ["schedule", null, "schedule"],
    ["overlapPolicy", "never", "overlapPolicy"],
    ["misfirePolicy", "RUN_ONCE", "misfirePolicy"],
    ["timeoutSeconds", "60", "timeoutSeconds"],
    ["timeoutSeconds", 0, "timeoutSeconds"],
    ["timeoutSeconds", 7 * 86_400 + 1, "timeoutSeconds"],
    ["timeoutSeconds", 1.5, "timeoutSeconds"],
    ["maxAttempts", 0, "maxAttempts"],
    ["maxAttempts", 26, "maxAttempts"],
    ["retryBackoffSeconds", -1, "retryBackoffSeconds"],
    ["pauseAfterFailures", -1, "pauseAfterFailures"],
    ["pauseAfterFailures", 1001, "pauseAfterFailures"],
  ])("%s = %j: 400 with details at %s", async (field, value, path) => {
    const name = unique("Bad field");
    const response = await call("POST", "/api/jobs", { body: { ...jobInput({ name }), [field]: value } });
    await expectValidation(response, path, path);
    expect(await jobsNamed(name)).toBe(0);
  });

  it.each(["name", "type", "schedule"])("a missing %s: 400 with details at it", async (field) => {
    const body: Record<string, unknown> = { ...jobInput() };
    delete body[field];
    await expectValidation(await call("POST", "/api/jobs", { body }), field, field);
  });

  it.each([
    ["id", crypto.randomUUID()],
    ["version", 1],
    ["systemManaged", true],
    ["health", "failed"],
    ["nextRunAt", new Date().toISOString()],
    ["createdBy", "someone"],
    ["bogus", 1],
  ])("an unknown or read-only field %s: 400 naming it", async (field, value) => {
    const name = unique("Unknown field");
    const response = await call("POST", "/api/jobs", { body: { ...jobInput({ name }), [field]: value } });
    const error = await expectValidation(response, field, field);
    expect(JSON.stringify(error.details)).toContain(field);
    expect(await jobsNamed(name)).toBe(0);
  });

  it.each([
    ["an unknown schedule type", { type: "weekly" }, "schedule.type"],
    ["an unknown field in a schedule", { type: "manual", every: 5 }, /^schedule/],
    ["a cron with three fields", { type: "cron", expression: "* * *", timezone: "UTC" }, "schedule.expression"],
    ["a cron with seven fields", { type: "cron", expression: "0 0 0 1 1 * 2030", timezone: "UTC" }, "schedule.expression"],
    ["a cron minute of 61", { type: "cron", expression: "61 * * * *", timezone: "UTC" }, "schedule.expression"],
    ["a cron in words", { type: "cron", expression: "every day at two", timezone: "UTC" }, "schedule.expression"],
    ["a cron that never fires", { type: "cron", expression: "0 0 31 2 *", timezone: "UTC" }, "schedule.expression"],
    ["an empty cron", { type: "cron", expression: "", timezone: "UTC" }, "schedule.expression"],
    ["an unknown timezone", { type: "cron", expression: "0 2 * * *", timezone: "Mars/Olympus_Mons" }, "schedule.timezone"],
    ["an offset as timezone", { type: "cron", expression: "0 2 * * *", timezone: "+05:00" }, "schedule.timezone"],
    ["an empty timezone", { type: "cron", expression: "0 2 * * *", timezone: "" }, "schedule.timezone"],
    ["an interval of 0", { type: "interval", everySeconds: 0 }, "schedule.everySeconds"],
    ["an interval over a year", { type: "interval", everySeconds: 31_536_001 }, "schedule.everySeconds"],
    ["a fractional interval", { type: "interval", everySeconds: 1.5 }, "schedule.everySeconds"],
    ["an interval as a string", { type: "interval", everySeconds: "60" }, "schedule.everySeconds"],
    ["an interval without everySeconds", { type: "interval" }, "schedule.everySeconds"],
    ["once without at", { type: "once" }, "schedule.at"],
    ["once at a date without a time", { type: "once", at: "2099-01-01" }, "schedule.at"],
    ["once at a local time without offset", { type: "once", at: "2099-01-01T09:00:00" }, "schedule.at"],
    ["once on February 30", { type: "once", at: "2099-02-30T09:00:00Z" }, "schedule.at"],
    ["once at an epoch number", { type: "once", at: 4_102_444_800_000 }, "schedule.at"],
    ["once in the past", { type: "once", at: "2020-01-01T00:00:00Z" }, "schedule.at"],
  ])("schedule: %s: 400 with details at %s", async (_label, schedule, path) => {
    const name = unique("Bad schedule");
    const response = await call("POST", "/api/jobs", { body: { ...jobInput({ name }), schedule } });
    await expectValidation(response, path, "schedule");
    expect(await jobsNamed(name)).toBe(0);
  });

  it.each(["nothing.here", "system.retention", "HTTP.REQUEST"])("an unknown type %s: 400 with field params", async (type) => {
    const response = await call("POST", "/api/jobs", { body: jobInput({ type, params: {} }) });
    const error = await expectValidation(response, undefined, "params");
    expect(error.details?.length).toBeGreaterThan(0);
  });

  it.each([
    ["demo.sleep", { durationMs: "long" }, "params.durationMs"],
    ["demo.sleep", { durationMs: -1 }, "params.durationMs"],
    ["demo.sleep", { steps: 0 }, "params.steps"],
    ["demo.sleep", { sleepy: true }, /^params/],
    ["http.request", {}, "params.url"],
    ["http.request", { url: "ftp://example.test/file" }, "params.url"],
    ["http.request", { url: "not a url" }, "params.url"],
    ["http.request", { url: "https://example.test", method: "BREW" }, "params.method"],
    ["http.request", { url: "https://example.test", timeoutMs: 5 }, "params.timeoutMs"],
    ["http.request", { url: "https://example.test", expectedStatus: [] }, "params.expectedStatus"],
    ["http.request", { url: "https://example.test", expectedStatus: [700] }, /^params\.expectedStatus/],
    ["http.request", { url: "https://example.test", headers: { "": "x" } }, /^params\.headers/],
  ])("%s params %j: 400 with field params and details at %s", async (type, params, path) => {
    const error = await expectValidation(await call("POST", "/api/jobs", { body: jobInput({ type, params }) }), path, "params");
    for (const detailPath of detailPaths(error)) expect(detailPath).toMatch(/^params(\.|$)/);
  });

  it("params over 64 KiB as JSON: 400 at params", async () => {
    const body = jobInput({ type: "http.request", params: { url: "https://example.test", body: "x".repeat(65 * KIB) } });
    expect(JSON.stringify(body).length).toBeLessThan(256 * KIB);
    await expectValidation(await call("POST", "/api/jobs", { body }), "params", "params");
  });

  it("params just under 64 KiB are accepted", async () => {
    const job = await call("POST", "/api/jobs", {
      body: jobInput({ type: "http.request", params: { url: "https://example.test", body: "x".repeat(60 * KIB) } }),
    });
    expect(job.status, JSON.stringify(job.body).slice(0, 300)).toBe(201);
  });

  it("a body over 256 KiB: 413 PAYLOAD_TOO_LARGE", async () => {
    const name = unique("Too large");
    const body = { ...jobInput({ name }), notes: "x".repeat(257 * KIB) };
    expectError(await call("POST", "/api/jobs", { body }), 413, "PAYLOAD_TOO_LARGE");
    expect(await jobsNamed(name)).toBe(0);
  });

  it("a declared Content-Length over 256 KiB: 413 before reading", async () => {
    const response = await call("POST", "/api/jobs", { body: "{}", headers: { "content-length": String(300 * KIB) } });
    expectError(response, 413, "PAYLOAD_TOO_LARGE");
  });

  it("a body of exactly 256 KiB is read (and then validated)", async () => {
    const base = JSON.stringify({ ...jobInput(), notes: "" });
    const text = base.replace('"notes":""', `"notes":"${"x".repeat(256 * KIB - base.length)}"`);
    expect(Buffer.byteLength(text)).toBe(256 * KIB);
    await expectValidation(await call("POST", "/api/jobs", { body: text }), "notes");
  });

  it.each([
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/jsonp",
  ])("Content-Type %s: 415 UNSUPPORTED_MEDIA_TYPE", async (contentType) => {
    const name = unique("Wrong type");
    const response = await call("POST", "/api/jobs", { body: jobInput({ name }), headers: { "content-type": contentType } });
    expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(await jobsNamed(name)).toBe(0);
  });

  it.each(["application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json"])(
    "Content-Type %s is JSON",
    async (contentType) => {
      const response = await call("POST", "/api/jobs", { body: jobInput(), headers: { "content-type": contentType } });
      expect(response.status).toBe(201);
    },
  );

  it.each([
    ["name", { name: "nul\u0000byte" }, "name"],
    ["notes", { notes: "nul\u0000byte" }, "notes"],
    ["description", { description: "nul\u0000byte" }, "description"],
    ["a params value", { type: "http.request", params: { url: "https://example.test", body: "a\u0000b" } }, /^params/],
    ["a params key", { type: "http.request", params: { url: "https://example.test", headers: { "x-\u0000": "1" } } }, /^params/],
  ])("a NUL character in %s: 400, not 500", async (_label, overrides, path) => {
    const response = await call("POST", "/api/jobs", { body: { ...jobInput(), ...overrides } });
    await expectValidation(response, path);
  });

  // Found by generated-hostile-input.test.ts: an unpaired surrogate was stored as U+FFFD, silently changed.
  it.each([
    ["name", { name: "lone \uD800 high" }, "name"],
    ["notes", { notes: "lone \uDC00 low" }, "notes"],
    ["a params value", { type: "http.request", params: { url: "https://example.test", body: "a\uD83Db" } }, /^params/],
    ["a params key", { type: "http.request", params: { url: "https://example.test", headers: { "x-\uDE00": "1" } } }, /^params/],
  ])("an unpaired surrogate in %s: 400, nothing stored", async (_label, overrides, path) => {
    const body = { ...jobInput(), ...overrides };
    await expectValidation(await call("POST", "/api/jobs", { body }), path);
    // What PostgreSQL would have made of it: the surrogate as U+FFFD.
    expect(await jobsNamed(body.name.toWellFormed())).toBe(0);
  });

  it("a paired surrogate (an emoji) is stored as sent", async () => {
    const name = unique("emoji 😀");
    expect((await call("POST", "/api/jobs", { body: jobInput({ name }) })).body.name).toBe(name);
  });

  it.each([100, 3000, 100_000])("params nested %i levels deep: 400, not 500", async (depth) => {
    const base = jobInput({ type: "http.request", params: { url: "https://example.test", body: "__DEEP__" } });
    const text = JSON.stringify(base).replace('"__DEEP__"', deepJson(depth));
    await expectValidation(await call("POST", "/api/jobs", { body: text }));
  });

  it("a duplicate name, ignoring case and surrounding spaces: 409 CONFLICT with field name", async () => {
    const name = unique("Duplicate Me");
    await postJob(who.operator, { name });
    for (const variant of [name, name.toUpperCase(), `  ${name.toLowerCase()}  `]) {
      const error = expectError(await call("POST", "/api/jobs", { body: jobInput({ name: variant }) }), 409, "CONFLICT");
      expect(error.field).toBe("name");
    }
    const db = await getPrisma();
    expect(await db.job.count({ where: { name: { equals: name, mode: "insensitive" } } })).toBe(1);
  });

  it("the name of the system-managed job is taken too", async () => {
    const error = expectError(
      await call("POST", "/api/jobs", { body: jobInput({ name: "execution history retention" }) }),
      409,
      "CONFLICT",
    );
    expect(error.field).toBe("name");
  });
});

describe("GET /api/jobs query", () => {
  it.each([
    ["pageSize=0", "pageSize"],
    ["pageSize=500", "pageSize"],
    ["pageSize=201", "pageSize"],
    ["pageSize=-5", "pageSize"],
    ["pageSize=ten", "pageSize"],
    ["pageSize=2.5", "pageSize"],
    ["page=0", "page"],
    ["page=-1", "page"],
    ["page=abc", "page"],
    ["page=99999999999", "page"],
    ["enabled=maybe", "enabled"],
    ["enabled=1", "enabled"],
    ["health=sick", "health"],
    ["lastStatus=DONE", "lastStatus"],
    ["lastStatus=succeeded", "lastStatus"],
    [`query=${"q".repeat(201)}`, "query"],
    [`type=${"t".repeat(101)}`, "type"],
  ])("%s: 400 with details at %s", async (query, path) => {
    await expectValidation(await call("GET", `/api/jobs?${query}`, { token: who.viewer }), path, path);
  });

  it("a NUL character in the query: 400, not 500", async () => {
    await expectValidation(await call("GET", "/api/jobs?query=%00", { token: who.viewer }), "query");
    await expectValidation(await call("GET", "/api/jobs?type=a%00b", { token: who.viewer }), "type");
  });

  // Found by generated-hostile-input.test.ts: z.coerce.number() reads "" as 0 and "0x1F" as 31.
  it.each(["page=", "page=%20", "pageSize=0x1F", "pageSize=1e1", "page=%2B2"])("%s: 400, not a number read leniently", async (query) => {
    await expectValidation(await call("GET", `/api/jobs?${query}`, { token: who.viewer }), query.split("=")[0]);
  });

  it("a NUL character in a query value the endpoint does not read: 400 too", async () => {
    await expectValidation(await call("GET", "/api/events?lastEventId=%00", { token: who.viewer }), "lastEventId");
    await expectValidation(await call("GET", "/api/stats?x=a%00", { token: who.viewer }), "x");
  });
});

describe("GET /api/executions/:id/logs query", () => {
  it.each(["after=", "after=%20", "limit=", "after=0x10", "limit=1e2"])("%s: 400 (an empty after is not after=0)", async (query) => {
    const job = await postJob(who.operator);
    const execution = await insertExecution(job, new Date());
    await expectValidation(await call("GET", `/api/executions/${execution.id}/logs?${query}`, { token: who.viewer }), query.split("=")[0]);
  });
});

describe("path ids", () => {
  const routes = (id: string): [string, string, unknown][] => [
    ["GET", `/api/jobs/${id}`, undefined],
    ["PUT", `/api/jobs/${id}`, jobInput()],
    ["PATCH", `/api/jobs/${id}`, { notes: "x" }],
    ["DELETE", `/api/jobs/${id}`, undefined],
    ["POST", `/api/jobs/${id}/enable`, undefined],
    ["POST", `/api/jobs/${id}/disable`, undefined],
    ["POST", `/api/jobs/${id}/reset`, undefined],
  ];

  it.each(["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", "'; DROP TABLE jobs; --", "%E2%9C%93"])(
    "a non-uuid id %s: 404 NOT_FOUND everywhere",
    async (id) => {
      for (const [method, path, body] of routes(encodeURIComponent(id))) {
        expectError(await call(method, path, { body }), 404, "NOT_FOUND");
      }
    },
  );

  it("an unknown uuid: 404 NOT_FOUND everywhere", async () => {
    for (const [method, path, body] of routes(crypto.randomUUID())) {
      expectError(await call(method, path, { body }), 404, "NOT_FOUND");
    }
  });
});

describe("PUT /api/jobs/:id body", () => {
  it("malformed JSON, unknown fields, missing required fields: 400, nothing changes", async () => {
    const job = await postJob(who.operator);
    await expectValidation(await call("PUT", `/api/jobs/${job.id}`, { body: "{" }));
    await expectValidation(await call("PUT", `/api/jobs/${job.id}`, { body: { ...jobInput(), bogus: true } }), "bogus");
    await expectValidation(await call("PUT", `/api/jobs/${job.id}`, { body: { notes: "partial" } }), "name");
    await expectValidation(await call("PUT", `/api/jobs/${job.id}`, { body: { ...jobInput(), version: "1" } }), "version");
    await expectValidation(await call("PUT", `/api/jobs/${job.id}`, { body: { ...jobInput(), version: 0 } }), "version");
    await expectValidation(
      await call("PUT", `/api/jobs/${job.id}`, { body: jobInput({ type: "http.request", params: { url: 5 } as never }) }),
      "params.url",
      "params",
    );
    expect(await jobRow(job.id)).toMatchObject({ version: 1, name: job.name });
    expect(await auditRows(job.id)).toHaveLength(1);
  });

  it("413 and 415", async () => {
    const job = await postJob(who.operator);
    expectError(await call("PUT", `/api/jobs/${job.id}`, { body: { ...jobInput(), notes: "x".repeat(300 * KIB) } }), 413, "PAYLOAD_TOO_LARGE");
    expectError(await call("PUT", `/api/jobs/${job.id}`, { body: jobInput(), headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("PATCH /api/jobs/:id body", () => {
  it.each([
    ["malformed JSON", "{notes: x}", undefined],
    ["an empty body", "", undefined],
    ["an array", "[]", undefined],
    ["a read-only field", { health: "active" }, "health"],
    ["a read-only field", { nextRunAt: null }, "nextRunAt"],
    ["an unknown field", { colour: "blue" }, "colour"],
    ["a null name", { name: null }, "name"],
    ["a blank name", { name: "  " }, "name"],
    ["version 0", { version: 0 }, "version"],
    ["version as a string", { version: "1" }, "version"],
    ["a bad cron", { schedule: { type: "cron", expression: "* *", timezone: "UTC" } }, "schedule.expression"],
    ["an unknown timezone", { schedule: { type: "cron", expression: "0 * * * *", timezone: "Nowhere/City" } }, "schedule.timezone"],
    ["an interval out of range", { schedule: { type: "interval", everySeconds: 0 } }, "schedule.everySeconds"],
    ["a once in the past", { schedule: { type: "once", at: "2001-09-09T01:46:40Z" } }, "schedule.at"],
    ["bad params for the job's type", { params: { durationMs: "soon" } }, "params.durationMs"],
    ["a type whose params do not fit", { type: "http.request" }, /^params\./],
    ["an unknown type", { type: "no.such" }, undefined],
    ["the system type", { type: "system.retention", params: { keepDays: 1 } }, undefined],
    ["a NUL character", { notes: "\u0000" }, "notes"],
  ])("%s: 400, the job is unchanged", async (_label, body, path) => {
    const job = await postJob(who.operator);
    await expectValidation(await call("PATCH", `/api/jobs/${job.id}`, { body }), path);
    expect(await jobRow(job.id)).toMatchObject({ version: 1, notes: null, type: job.type });
  });

  it("a type change without params names field params", async () => {
    const job = await postJob(who.operator);
    const error = await expectValidation(await call("PATCH", `/api/jobs/${job.id}`, { body: { type: "nothing.here" } }), undefined, "params");
    expect(error.message).toContain("nothing.here");
  });

  it("a rename to another job's name, in any case: 409 CONFLICT with field name", async () => {
    const taken = await postJob(who.operator, { name: unique("Taken Name") });
    const job = await postJob(who.operator);
    const error = expectError(await call("PATCH", `/api/jobs/${job.id}`, { body: { name: taken.name.toUpperCase() } }), 409, "CONFLICT");
    expect(error.field).toBe("name");
    expect(await jobRow(job.id)).toMatchObject({ name: job.name, version: 1 });
    expect(await auditRows(job.id)).toHaveLength(1);
  });

  it("413 and 415", async () => {
    const job = await postJob(who.operator);
    expectError(await call("PATCH", `/api/jobs/${job.id}`, { body: { notes: "x".repeat(300 * KIB) } }), 413, "PAYLOAD_TOO_LARGE");
    expectError(
      await call("PATCH", `/api/jobs/${job.id}`, { body: "notes=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });
});

describe("versions: If-Match and body version", () => {
  const mutations = (id: string, version?: number): [string, string, unknown][] => {
    const v = version === undefined ? {} : { version };
    return [
      ["PUT", `/api/jobs/${id}`, { ...jobInput(), ...v }],
      ["PATCH", `/api/jobs/${id}`, { notes: "stale", ...v }],
      ["DELETE", `/api/jobs/${id}`, version === undefined ? undefined : v],
      ["POST", `/api/jobs/${id}/disable`, version === undefined ? undefined : v],
      ["POST", `/api/jobs/${id}/enable`, version === undefined ? undefined : v],
      ["POST", `/api/jobs/${id}/reset`, version === undefined ? undefined : v],
    ];
  };

  it("an empty If-Match: 400, not a mutation without its version check", async () => {
    const job = await postJob(who.operator);
    for (const [method, path, body] of mutations(job.id)) {
      await expectValidation(await call(method, path, { body, headers: { "if-match": "" } }), "If-Match", "version");
    }
    expect((await jobRow(job.id))!.version).toBe(job.version);
  });

  it("a stale If-Match: 409 CONFLICT with the current job in details, nothing changes", async () => {
    const job = await postJob(who.operator);
    await call("PATCH", `/api/jobs/${job.id}`, { body: { description: "now at version 2" } });
    for (const [method, path, body] of mutations(job.id)) {
      const error = expectError(await call(method, path, { body, headers: { "if-match": '"1"' } }), 409, "CONFLICT");
      expect(error.details).toHaveLength(1);
      expect(error.details![0]).toMatchObject({ id: job.id, name: job.name, version: 2, description: "now at version 2" });
    }
    expect(await jobRow(job.id)).toMatchObject({ version: 2, enabled: true, deletedAt: null, notes: null });
    expect(await auditRows(job.id)).toHaveLength(2);
  });

  it("a stale body version: 409 CONFLICT with the current job in details, nothing changes", async () => {
    const job = await postJob(who.operator);
    await call("POST", `/api/jobs/${job.id}/disable`);
    for (const [method, path, body] of mutations(job.id, 1)) {
      const error = expectError(await call(method, path, { body }), 409, "CONFLICT");
      expect(error.details![0]).toMatchObject({ id: job.id, version: 2, enabled: false });
    }
    expect(await jobRow(job.id)).toMatchObject({ version: 2, enabled: false, deletedAt: null });
  });

  it("a version from the future is stale too", async () => {
    const job = await postJob(who.operator);
    expectError(await call("PATCH", `/api/jobs/${job.id}`, { body: { notes: "x" }, headers: { "if-match": '"7"' } }), 409, "CONFLICT");
  });

  it.each(['"abc"', "1.0", '"1", "2"', "version 1", '""', '"-1"'])("a malformed If-Match %s: 400 everywhere", async (ifMatch) => {
    const job = await postJob(who.operator);
    for (const [method, path, body] of mutations(job.id)) {
      const error = await expectValidation(await call(method, path, { body, headers: { "if-match": ifMatch } }));
      expect(error.field).toBe("version");
    }
    expect(await jobRow(job.id)).toMatchObject({ version: 1, deletedAt: null });
  });

  it.each(['"1"', 'W/"1"', "1", "*"])("If-Match %s matches version 1", async (ifMatch) => {
    const job = await postJob(who.operator);
    const response = await call("PATCH", `/api/jobs/${job.id}`, { body: { notes: "ok" }, headers: { "if-match": ifMatch } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });
});

describe("enable, disable, reset and DELETE bodies", () => {
  const actions = (id: string): [string, string][] => [
    ["POST", `/api/jobs/${id}/enable`],
    ["POST", `/api/jobs/${id}/disable`],
    ["POST", `/api/jobs/${id}/reset`],
    ["DELETE", `/api/jobs/${id}`],
  ];

  it.each([
    ["malformed JSON", "{version:", undefined],
    ["an array", "[1]", undefined],
    ["null", "null", undefined],
    ["an unknown field", { enabled: true }, "enabled"],
    ["version as a string", { version: "1" }, "version"],
    ["version 0", { version: 0 }, "version"],
    ["a fractional version", { version: 1.5 }, "version"],
  ])("%s: 400 and nothing changes", async (_label, body, path) => {
    const job = await postJob(who.operator);
    for (const [method, path_] of actions(job.id)) {
      await expectValidation(await call(method, path_, { body }), path);
    }
    expect(await jobRow(job.id)).toMatchObject({ version: 1, enabled: true, deletedAt: null });
  });

  it("a non-JSON content type with a body: 415; over 256 KiB: 413", async () => {
    const job = await postJob(who.operator);
    for (const [method, path] of actions(job.id)) {
      expectError(await call(method, path, { body: "version=1", headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
      expectError(await call(method, path, { body: { version: 1, pad: "x".repeat(300 * KIB) } }), 413, "PAYLOAD_TOO_LARGE");
    }
    expect(await jobRow(job.id)).toMatchObject({ version: 1, deletedAt: null });
  });

  it("no body at all, even with a non-JSON content type, is fine", async () => {
    const job = await postJob(who.operator);
    const response = await call("POST", `/api/jobs/${job.id}/disable`, { headers: { "content-type": "text/plain" } });
    expect(response.status).toBe(200);
  });
});

describe("GET /api/audit query", () => {
  it.each([
    ["pageSize=0", "pageSize"],
    ["pageSize=500", "pageSize"],
    ["page=0", "page"],
    ["page=x", "page"],
    [`targetId=${"t".repeat(201)}`, "targetId"],
    [`action=${"a".repeat(101)}`, "action"],
    [`actor=${"a".repeat(321)}`, "actor"],
    ["actor=%00", "actor"],
  ])("%s: 400 with details at %s", async (query, path) => {
    await expectValidation(await call("GET", `/api/audit?${query}`), path, path);
  });
});

describe("raw JSON that JavaScript would accept", () => {
  it("numbers written as huge exponents or negative zero do not slip through", async () => {
    await expectValidation(await call("POST", "/api/jobs", { body: withRaw("timeoutSeconds", "1e400") }), "timeoutSeconds");
    await expectValidation(await call("POST", "/api/jobs", { body: withRaw("maxAttempts", "-0") }), "maxAttempts");
  });

  it("a duplicated key keeps the last value, as JSON.parse does", async () => {
    const name = unique("Last wins");
    const text = JSON.stringify(jobInput({ name: "first" })).replace('"name":"first"', `"name":"first","name":${JSON.stringify(name)}`);
    const response = await call("POST", "/api/jobs", { body: text });
    expect(response.status).toBe(201);
    expect(response.body.name).toBe(name);
  });
});
