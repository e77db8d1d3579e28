// Inline credentials are write-only: sensitive header values and URL passwords read back as
// "[redacted]" from jobs, executions and audit diffs (the database keeps them), and "[redacted]"
// sent back (an edit in the console, GET-modify-PUT, re-running an execution) keeps the stored value.
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import { auditRows, createIdentities, expectError, jobRow, resetDatabase, type Identities } from "../support/fixtures";
import { manualJob } from "./engine/support";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const HEADERS = {
  Authorization: "Bearer abc123",
  cookie: "session=xyz",
  "Proxy-Authorization": "Basic cHJveHk=",
  "X-Api-Key": "key-1",
  "X-Session-TOKEN": "tok-2",
  "X-Client-Secret": "sec-3",
  "X-Password": "pw-4",
  Accept: "application/json",
  "X-Signed": "Bearer {{secrets.SIGNING}}",
};
const RAW = { method: "POST", url: "https://deploy:hunter2@example.test/hook?x=1", headers: HEADERS };
const SHOWN = {
  url: "https://deploy:[redacted]@example.test/hook?x=1",
  headers: {
    Authorization: "[redacted]",
    cookie: "[redacted]",
    "Proxy-Authorization": "[redacted]",
    "X-Api-Key": "[redacted]",
    "X-Session-TOKEN": "[redacted]",
    "X-Client-Secret": "[redacted]",
    "X-Password": "[redacted]",
    Accept: "application/json",
    "X-Signed": "Bearer {{secrets.SIGNING}}",
  },
};
const CREDENTIALS = ["abc123", "session=xyz", "cHJveHk=", "key-1", "tok-2", "sec-3", "pw-4", "hunter2"];
const text = (value: unknown) => JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? String(inner) : inner));
const expectNoCredentials = (value: unknown) => {
  for (const credential of CREDENTIALS) expect(text(value)).not.toContain(credential);
};

async function credentialJob() {
  expect((await api("PUT", "/api/secrets/SIGNING", { token: who.admin, body: { value: "signing-value" } })).status).toBe(200);
  return manualJob(who.operator, { type: "http.request", params: RAW });
}

describe("reads", () => {
  it("redacts credentials in the created job, the job, the list and the audit diff, and stores them", async () => {
    const created = await credentialJob();
    expect(created.params).toMatchObject(SHOWN);
    const read = await api("GET", `/api/jobs/${created.id}`, { token: who.viewer });
    expect(read.body.params).toMatchObject(SHOWN);
    expectNoCredentials(read.body);
    expectNoCredentials((await api("GET", "/api/jobs?pageSize=200", { token: who.viewer })).body);
    expectNoCredentials((await api("GET", `/api/audit?targetId=${created.id}`, { token: who.operator })).body);
    expectNoCredentials(await auditRows(created.id));
    expect((await jobRow(created.id))!.params).toMatchObject(RAW);
  });

  it("redacts them in executions, and a re-run with the execution's params runs with the stored values", async () => {
    const job = await credentialJob();
    const run = await api("POST", `/api/jobs/${job.id}/run`, { token: who.operator });
    expect(run.status).toBe(202);
    expect(run.body.execution.params).toMatchObject(SHOWN);
    const read = await api("GET", `/api/executions/${run.body.execution.id}`, { token: who.viewer });
    expect(read.body.params).toMatchObject(SHOWN);
    expectNoCredentials(read.body);
    expectNoCredentials((await api("GET", `/api/jobs/${job.id}/executions`, { token: who.viewer })).body);

    const rerun = await api("POST", `/api/jobs/${job.id}/run`, { token: who.operator, body: { params: read.body.params } });
    expect(rerun.status, text(rerun.body)).toBe(202);
    const db = await getPrisma();
    expect((await db.execution.findUniqueOrThrow({ where: { id: rerun.body.execution.id } })).params).toMatchObject(RAW);
    expectNoCredentials(await auditRows(job.id));
  });
});

describe("writes", () => {
  it("keeps the stored values when the read params are sent back: a PUT of what GET gave changes nothing", async () => {
    const job = await credentialJob();
    const { body: read } = await api("GET", `/api/jobs/${job.id}`, { token: who.operator });
    const { id: _id, recentExecutions: _e, audit: _a, systemManaged: _s, health: _h, nextRunAt: _n, lastRunAt: _l, lastStatus: _ls, consecutiveFailures: _c, createdAt: _ca, updatedAt: _u, createdBy: _cb, pausedUntil: _p, ...editable } = read;
    const put = await api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: editable });
    expect(put.status, text(put.body)).toBe(200);
    expect(put.body.version).toBe(job.version);
    expect((await jobRow(job.id))!.params).toMatchObject(RAW);
  });

  it("changes other headers while keeping a redacted one, and replaces a credential that is typed again", async () => {
    const job = await credentialJob();
    const patched = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { params: { ...RAW, url: SHOWN.url, headers: { authorization: "[redacted]", "X-Api-Key": "key-new", Accept: "text/plain" } } },
    });
    expect(patched.status, text(patched.body)).toBe(200);
    expect((await jobRow(job.id))!.params).toMatchObject({ url: RAW.url, headers: { authorization: "Bearer abc123", "X-Api-Key": "key-new", Accept: "text/plain" } });
    const diff = (await auditRows(job.id)).find((event) => event.action === "job.update")!;
    expect(text(diff.changes)).not.toContain("key-new");
  });

  it("refuses a \"[redacted]\" with no stored value behind it, on the field", async () => {
    const job = await credentialJob();
    const error = expectError(
      await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { params: { ...RAW, headers: { "X-New-Token": "[redacted]" } } } }),
      400,
      "VALIDATION_FAILED",
    );
    expect(error).toMatchObject({ field: "params", details: [{ path: "params.headers.X-New-Token" }] });
    expectError(
      await api("POST", "/api/enqueue", { token: who.operator, body: { type: "http.request", params: { url: "https://u:[redacted]@example.test/" } } }),
      400,
      "VALIDATION_FAILED",
    );
  });
});
