// The secrets store through the API: admin only, names and sizes checked, values encrypted and
// never returned, usedBy and the 409 on deleting a used secret, audit without values, unknown
// {{secrets.NAME}} refused at create, update, run and enqueue, and resolution inside the worker only.
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import { auditRows, createIdentities, detailPaths, expectError, jobInput, resetDatabase, waitForStatus, type Identities } from "../support/fixtures";
import { useLocalServer } from "../support/http-server";
import { manualJob, readExecution, runNow, useWorkers } from "./engine/support";

let who: Identities;
const workers = useWorkers();
const VALUE = "s3cr3t-value-that-must-not-leak";
const server = useLocalServer((request, response, seen) => {
  // Echoes what it got, as a careless webhook might, in the body and in a failing answer.
  const echo = `auth=${seen.headers.authorization ?? ""} body=${seen.body} path=${seen.url}`;
  if (request.url?.startsWith("/fail")) return void response.writeHead(500).end(echo);
  response.end(echo);
});

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

/** JSON of anything read from the database (audit rows carry a bigint). */
const text = (value: unknown) => JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? String(inner) : inner));

const put = (name: string, value: unknown, token = who.admin) => api("PUT", `/api/secrets/${name}`, { token, body: { value } });

describe("PUT, GET and DELETE /api/secrets", () => {
  it("creates and replaces a secret, lists it without its value, stores it encrypted, and audits without values", async () => {
    const created = await put("API_TOKEN", VALUE);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toEqual({ name: "API_TOKEN", createdAt: expect.any(String), updatedAt: expect.any(String), updatedBy: who.tokenNames.admin, usedBy: [] });
    expect((await put("API_TOKEN", `${VALUE}-2`)).status).toBe(200);

    const list = await api("GET", "/api/v1/secrets", { token: who.admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { name: string }) => item.name)).toContain("API_TOKEN");
    expect(JSON.stringify(list.body)).not.toContain(VALUE);

    const db = await getPrisma();
    const row = await db.secret.findUniqueOrThrow({ where: { name: "API_TOKEN" } });
    expect(Buffer.from(row.ciphertext).toString("latin1")).not.toContain("s3cr3t");
    expect(row.iv).toHaveLength(12);

    const audit = await auditRows("API_TOKEN");
    expect(audit.map((event) => event.action)).toEqual(["secret.set", "secret.set"]);
    expect(audit.map((event) => event.summary)).toEqual(["Added secret API_TOKEN", "Replaced the value of secret API_TOKEN"]);
    expect(text(audit)).not.toContain("s3cr3t");
  });

  it("needs an admin for every operation", async () => {
    for (const token of [who.operator, who.viewer]) {
      expectError(await api("GET", "/api/secrets", { token }), 403, "FORBIDDEN");
      expectError(await put("NOPE", "x", token), 403, "FORBIDDEN");
      expectError(await api("DELETE", "/api/secrets/API_TOKEN", { token }), 403, "FORBIDDEN");
    }
    expectError(await api("GET", "/api/secrets"), 401, "UNAUTHENTICATED");
  });

  it.each(["lower", "1ABC", "A-B", "A".repeat(65), "%20"])("refuses the name %j with 400 on field name", async (name) => {
    const error = expectError(await put(encodeURIComponent(name), "x"), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("name");
  });

  it("takes values of 1 byte to 8 KiB, counted in bytes", async () => {
    expect((await put("LONGEST", "x".repeat(8192))).status).toBe(200);
    expect((await put("ONE", "x")).status).toBe(200);
    for (const value of ["", "x".repeat(8193), "é".repeat(4097), 5, null]) {
      const error = expectError(await put("TOO_MUCH", value), 400, "VALIDATION_FAILED");
      expect(error.field).toBe("value");
    }
    expectError(await api("PUT", "/api/secrets/EXTRA", { token: who.admin, body: { value: "x", other: 1 } }), 400, "VALIDATION_FAILED");
  });

  it("lists the live jobs using a secret, refuses to delete it while they do (409 naming them), and deletes it after", async () => {
    expect((await put("HOOK_KEY", VALUE)).status).toBe(200);
    const { base } = await server;
    const user = await manualJob(who.operator, { type: "http.request", params: { url: `${base}/x`, headers: { "X-Hook": "{{ secrets.HOOK_KEY }}" } } });
    const gone = await manualJob(who.operator, { type: "http.request", params: { url: `${base}/{{secrets.HOOK_KEY}}` } });
    expect((await api("DELETE", `/api/jobs/${gone.id}`, { token: who.operator })).status).toBe(204);

    const listed = (await api("GET", "/api/secrets", { token: who.admin })).body.items.find((item: { name: string }) => item.name === "HOOK_KEY");
    expect(listed.usedBy).toEqual([user.id]);

    const refused = expectError(await api("DELETE", "/api/secrets/HOOK_KEY", { token: who.admin }), 409, "CONFLICT");
    expect(refused.message).toContain(user.name);
    expect(refused.details).toEqual([{ jobId: user.id, jobName: user.name }]);

    expect((await api("PATCH", `/api/jobs/${user.id}`, { token: who.operator, body: { params: { url: `${base}/x` } } })).status).toBe(200);
    expect((await api("DELETE", "/api/secrets/HOOK_KEY", { token: who.admin })).status).toBe(204);
    expectError(await api("DELETE", "/api/secrets/HOOK_KEY", { token: who.admin }), 404, "NOT_FOUND");
    expect((await auditRows("HOOK_KEY")).map((event) => event.action)).toEqual(["secret.set", "secret.delete"]);
  });
});

describe("{{secrets.NAME}} in params", () => {
  const unknownAt = (response: Awaited<ReturnType<typeof api>>, path: string) => {
    const error = expectError(response, 400, "VALIDATION_FAILED");
    expect(error.field).toBe("params");
    expect(detailPaths(error)).toEqual([path]);
    return error;
  };

  it("refuses an unknown name at create, update, run and enqueue, on the field that uses it", async () => {
    const { base } = await server;
    const params = { url: `${base}/x`, headers: { Authorization: "Bearer {{secrets.MISSING}}" } };
    const error = unknownAt(await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ type: "http.request", params }) }), "params.headers.Authorization");
    expect(error.details![0].message).toMatch(/No secret named MISSING/);
    const job = await manualJob(who.operator, { type: "http.request", params: { url: `${base}/x` } });
    unknownAt(await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { params } }), "params.headers.Authorization");
    unknownAt(await api("POST", `/api/jobs/${job.id}/run`, { token: who.operator, body: { params: { body: ["{{secrets.MISSING}}"] } } }), "params.body.0");
    unknownAt(await api("POST", "/api/enqueue", { token: who.operator, body: { type: "http.request", params } }), "params.headers.Authorization");
    expect(unknownAt(await api("POST", "/api/enqueue", { token: who.operator, body: { type: "demo.sleep", params: { failMessage: "{{secrets.lower}}" } } }), "params.failMessage").details![0].message).toMatch(/not a secret name/);
  });

  it("is resolved only inside the worker: the server gets the value, nothing Tickwork answers, stores or audits contains it", async () => {
    expect((await put("WEBHOOK_TOKEN", VALUE)).status).toBe(200);
    const { base, seen } = await server;
    const params = { method: "POST", url: `${base}/ok`, headers: { Authorization: "Bearer {{secrets.WEBHOOK_TOKEN}}" }, body: "token={{secrets.WEBHOOK_TOKEN}}" };
    const job = await manualJob(who.operator, { type: "http.request", params });
    expect(job.params).toMatchObject(params);
    workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "SUCCEEDED");
    expect(seen.at(-1)).toMatchObject({ headers: { authorization: `Bearer ${VALUE}` }, body: `token=${VALUE}` });

    const execution = await readExecution(who.viewer, queued.id);
    expect(execution.params).toMatchObject(params);
    expect(execution.result.body).toBe("auth=Bearer [redacted] body=token=[redacted] path=/ok");

    const failing = await manualJob(who.operator, { type: "http.request", params: { ...params, url: `${base}/fail?t={{secrets.WEBHOOK_TOKEN}}` } });
    const failed = await runNow(who.operator, failing.id);
    await waitForStatus(failed.id, "FAILED");
    const failure = await readExecution(who.viewer, failed.id);
    expect(failure.error.code).toBe("HANDLER_ERROR");
    expect(failure.error.message).toContain("answered 500: auth=Bearer [redacted]");

    const db = await getPrisma();
    const everything = text([
      await db.execution.findMany({ where: { jobId: { in: [job.id, failing.id] } } }),
      await db.auditEvent.findMany(),
      (await api("GET", `/api/jobs/${job.id}`, { token: who.viewer })).body,
      (await api("GET", "/api/executions?pageSize=200", { token: who.viewer })).body,
    ]);
    expect(everything).not.toContain(VALUE);
  });

  it("ends a run FAILED with UNKNOWN_SECRET when the secret went away after the run was queued", async () => {
    expect((await put("SHORT_LIVED", "value-1234")).status).toBe(200);
    const queued = await api("POST", "/api/enqueue", { token: who.operator, body: { type: "demo.sleep", params: { durationMs: 1, fail: true, failMessage: "{{secrets.SHORT_LIVED}}" } } });
    expect(queued.status).toBe(202);
    // An ad-hoc run is no live job, so nothing holds the secret.
    expect((await api("DELETE", "/api/secrets/SHORT_LIVED", { token: who.admin })).status).toBe(204);
    workers.start();
    const row = await waitForStatus(queued.body.execution.id, "FAILED");
    expect(row).toMatchObject({ errorCode: "UNKNOWN_SECRET" });
  });
});
