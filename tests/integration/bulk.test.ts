// POST /api/jobs/bulk: by ids or by the list's filter, each job through the single action's rules
// (system-managed fails its item), one audit event per job changed, and bad input refused whole.
import crypto from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import {
  auditActions,
  createIdentities,
  detailPaths,
  expectError,
  jobRow,
  postJob,
  resetDatabase,
  settleActiveExecutions,
  systemJobRow,
  type Identities,
} from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

beforeEach(async () => {
  await settleActiveExecutions();
});

const bulk = (body: unknown, token = who.operator) => api("POST", "/api/jobs/bulk", { token, body });

/** Jobs whose names share a fresh tag, so a filter can find exactly them. */
async function taggedJobs(count: number, overrides: Parameters<typeof postJob>[1] = {}) {
  const tag = `bulk-${crypto.randomUUID().slice(0, 8)}`;
  const jobs = [];
  for (let i = 0; i < count; i++) jobs.push(await postJob(who.operator, { name: `${tag} job ${i}`, ...overrides }));
  return { tag, jobs };
}

describe("POST /api/jobs/bulk by ids", () => {
  it("disables each job, one job.disable audit event per job changed, and says so per job", async () => {
    const { jobs } = await taggedJobs(3);
    const response = await bulk({ action: "disable", ids: jobs.map((job) => job.id) });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ succeeded: 3, failed: 0, results: jobs.map((job) => ({ id: job.id, ok: true })) });
    for (const job of jobs) {
      expect(await jobRow(job.id)).toMatchObject({ enabled: false, nextRunAt: null, version: 2 });
      expect(await auditActions(job.id)).toEqual(["job.create", "job.disable"]);
    }
  });

  it("is idempotent per job like the single action: an enabled job stays as it is, without an audit event", async () => {
    const { jobs } = await taggedJobs(2);
    await api("POST", `/api/jobs/${jobs[0].id}/disable`, { token: who.operator });
    const response = await bulk({ action: "enable", ids: jobs.map((job) => job.id) });
    expect(response.body.succeeded).toBe(2);
    expect(await auditActions(jobs[0].id)).toEqual(["job.create", "job.disable", "job.enable"]);
    expect(await auditActions(jobs[1].id)).toEqual(["job.create"]);
    expect((await jobRow(jobs[1].id))!.version).toBe(1);
  });

  it("a partial failure: the system-managed job fails SYSTEM_MANAGED and an unknown id NOT_FOUND; the rest are deleted", async () => {
    const { jobs } = await taggedJobs(2);
    const system = await systemJobRow();
    const unknown = crypto.randomUUID();
    const response = await bulk({ action: "delete", ids: [jobs[0].id, system.id, unknown, jobs[1].id] });
    expect(response.status).toBe(200);
    expect(response.body.succeeded).toBe(2);
    expect(response.body.failed).toBe(2);
    const byId = new Map(response.body.results.map((result: { id: string }) => [result.id, result]));
    expect(byId.get(system.id)).toMatchObject({ ok: false, error: { code: "SYSTEM_MANAGED" } });
    expect(byId.get(unknown)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(byId.get(jobs[0].id)).toEqual({ id: jobs[0].id, ok: true });
    expect((await jobRow(jobs[0].id))!.deletedAt).not.toBeNull();
    expect((await jobRow(system.id))!.deletedAt).toBeNull();
    expect(await auditActions(system.id)).toEqual([]);
  });

  it("runs each job now, system-managed and disabled ones too (as run now does), one job.run event each", async () => {
    const { jobs } = await taggedJobs(1, { enabled: false });
    const system = await systemJobRow();
    const response = await bulk({ action: "run", ids: [jobs[0].id, system.id] });
    expect(response.body).toMatchObject({ succeeded: 2, failed: 0 });
    const db = await getPrisma();
    for (const id of [jobs[0].id, system.id]) {
      expect(await db.execution.count({ where: { jobId: id, trigger: "manual", status: "QUEUED" } })).toBe(1);
      expect((await auditActions(id)).filter((action) => action === "job.run")).toHaveLength(1);
    }
  });

  it("lists a repeated id once", async () => {
    const { jobs } = await taggedJobs(1);
    const response = await bulk({ action: "disable", ids: [jobs[0].id, jobs[0].id.toUpperCase()] });
    expect(response.body.results).toEqual([{ id: jobs[0].id, ok: true }]);
  });
});

describe("POST /api/jobs/bulk by filter", () => {
  it("acts on every job the GET /api/jobs filters match, and on no other", async () => {
    const { tag, jobs } = await taggedJobs(3);
    const other = await postJob(who.operator);
    const list = await api("GET", `/api/jobs?query=${tag}&enabled=true`, { token: who.viewer });
    expect(list.body.total).toBe(3);
    const response = await bulk({ action: "disable", filter: { query: tag, enabled: true } });
    expect(response.body.succeeded).toBe(3);
    expect(response.body.results.map((result: { id: string }) => result.id).sort()).toEqual(jobs.map((job) => job.id).sort());
    expect((await jobRow(other.id))!.enabled).toBe(true);
    // Now nothing matches enabled=true ("true" as in the URL works too).
    expect((await bulk({ action: "disable", filter: { query: tag, enabled: "true" } })).body).toEqual({ succeeded: 0, failed: 0, results: [] });
  });
});

describe("POST /api/jobs/bulk bad input: 400 with the field named, nothing changed", () => {
  it.each([
    ["both ids and filter", () => ({ action: "disable", ids: [crypto.randomUUID()], filter: { query: "x" } }), "filter"],
    ["neither ids nor filter", () => ({ action: "disable" }), "ids"],
    ["over 1,000 ids", () => ({ action: "disable", ids: Array.from({ length: 1001 }, () => crypto.randomUUID()) }), "ids"],
    ["an empty ids list", () => ({ action: "disable", ids: [] }), "ids"],
    ["an unknown action", () => ({ action: "pause", ids: [crypto.randomUUID()] }), "action"],
    ["a malformed id", () => ({ action: "disable", ids: ["not-a-uuid"] }), "ids"],
    ["an unknown filter", () => ({ action: "disable", filter: { colour: "red" } }), "filter"],
  ])("%s", async (_label, body, field) => {
    const db = await getPrisma();
    const audit = await db.auditEvent.count();
    const error = expectError(await bulk(body()), 400, "VALIDATION_FAILED");
    expect(error.field).toBe(field);
    expect(detailPaths(error).some((path) => path.startsWith(field))).toBe(true);
    expect(await db.auditEvent.count()).toBe(audit);
  });

  it("a filter matching over 1,000 jobs", async () => {
    const db = await getPrisma();
    const tag = `many-${crypto.randomUUID().slice(0, 8)}`;
    await db.job.createMany({
      data: Array.from({ length: 1001 }, (_, i) => ({ name: `${tag} ${i}`, type: "demo.sleep", scheduleType: "manual" as const, createdBy: "test" })),
    });
    const error = expectError(await bulk({ action: "disable", filter: { query: tag } }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("filter");
    expect(await db.job.count({ where: { name: { startsWith: tag }, enabled: false } })).toBe(0);
    await db.job.deleteMany({ where: { name: { startsWith: tag } } });
  });

  it("a viewer is refused", async () => {
    const { jobs } = await taggedJobs(1);
    expectError(await bulk({ action: "disable", ids: [jobs[0].id] }, who.viewer), 403, "FORBIDDEN");
    expect((await jobRow(jobs[0].id))!.enabled).toBe(true);
  });
});
