// Every successful job mutation writes exactly one audit event (actor, action, target, from/to
// changes); refused ones write none. GET /api/audit reads them back with filters and pages.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import {
  auditRows,
  createIdentities,
  expectError,
  jobInput,
  markFailed,
  nextMillisecond,
  postJob,
  resetDatabase,
  sessionCookie,
  type Identities,
} from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Runs a call and returns the audit events it added for the job. */
async function newEvents(jobId: string, run: () => Promise<{ status: number }>, status: number) {
  const before = (await auditRows(jobId)).length;
  const response = await run();
  expect(response.status, JSON.stringify((response as { body?: unknown }).body)).toBe(status);
  return (await auditRows(jobId)).slice(before);
}

describe("audit events of job mutations", () => {
  it("create: one job.create with every field going from null to its value", async () => {
    const name = `Audited ${crypto.randomUUID().slice(0, 8)}`;
    const created = await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ name, notes: "n" }) });
    expect(created.status).toBe(201);
    const events = await auditRows(created.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: who.tokenNames.operator,
      action: "job.create",
      targetType: "job",
      targetId: created.body.id,
    });
    expect(events[0].summary).toContain(name);
    const changes = events[0].changes as Record<string, { from: unknown; to: unknown }>;
    expect(changes.name).toEqual({ from: null, to: name });
    expect(changes.notes).toEqual({ from: null, to: "n" });
    expect(changes.enabled).toEqual({ from: null, to: true });
    expect(changes.schedule).toEqual({ from: null, to: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" } });
    expect(changes.type).toEqual({ from: null, to: "demo.sleep" });
    // Fields left empty did not change.
    expect(changes).not.toHaveProperty("description");
    for (const [field, change] of Object.entries(changes)) expect(change.from, field).not.toEqual(change.to);
  });

  it("PATCH: one job.update listing exactly the fields that changed", async () => {
    const job = await postJob(who.operator);
    const events = await newEvents(
      job.id,
      () => api("PATCH", `/api/jobs/${job.id}`, { token: who.admin, body: { notes: "first note", maxAttempts: 3, timeoutSeconds: job.timeoutSeconds } }),
      200,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: who.tokenNames.admin, action: "job.update", targetType: "job", targetId: job.id });
    expect(events[0].changes).toEqual({
      notes: { from: null, to: "first note" },
      maxAttempts: { from: 1, to: 3 },
    });
  });

  it("PATCH of the schedule records the old and the new schedule", async () => {
    const job = await postJob(who.operator);
    const schedule = { type: "interval", everySeconds: 300 } as const;
    const [event] = await newEvents(job.id, () => api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { schedule } }), 200);
    expect(event.changes).toEqual({ schedule: { from: job.schedule, to: schedule } });
  });

  it("PUT: one job.update including the fields that went back to their defaults", async () => {
    const job = await postJob(who.operator, { overlapPolicy: "allow", notes: "old" });
    const body = { ...jobInput({ name: job.name }) };
    const [event, ...rest] = await newEvents(job.id, () => api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body }), 200);
    expect(rest).toEqual([]);
    expect(event.action).toBe("job.update");
    expect(event.changes).toMatchObject({ overlapPolicy: { from: "allow", to: "skip" }, notes: { from: "old", to: null } });
    expect(event.changes).not.toHaveProperty("name");
  });

  it("DELETE: one job.delete", async () => {
    const job = await postJob(who.operator);
    const events = await newEvents(job.id, () => api("DELETE", `/api/jobs/${job.id}`, { token: who.operator }), 204);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: who.tokenNames.operator, action: "job.delete", targetId: job.id });
    expect(events[0].changes).toEqual({ deleted: { from: false, to: true } });
  });

  it("disable and enable: one event each with enabled and nextRunAt from/to; repeats write nothing", async () => {
    const job = await postJob(who.operator);
    const [disable] = await newEvents(job.id, () => api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator }), 200);
    expect(disable).toMatchObject({ action: "job.disable", actor: who.tokenNames.operator });
    expect(disable.changes).toEqual({ enabled: { from: true, to: false }, nextRunAt: { from: job.nextRunAt, to: null } });
    expect(await newEvents(job.id, () => api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator }), 200)).toEqual([]);

    const [enable, ...more] = await newEvents(job.id, () => api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator }), 200);
    expect(more).toEqual([]);
    expect(enable).toMatchObject({ action: "job.enable" });
    expect(enable.changes).toMatchObject({ enabled: { from: false, to: true }, nextRunAt: { from: null } });
    expect((enable.changes as { nextRunAt: { to: string } }).nextRunAt.to).toMatch(/Z$/);
    expect(await newEvents(job.id, () => api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator }), 200)).toEqual([]);
  });

  it("reset: one job.reset with health and consecutiveFailures from/to", async () => {
    const job = await postJob(who.operator);
    await markFailed(job.id, 4);
    const events = await newEvents(job.id, () => api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator }), 200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "job.reset", actor: who.tokenNames.operator, targetId: job.id });
    expect(events[0].changes).toEqual({ health: { from: "failed", to: "active" }, consecutiveFailures: { from: 4, to: 0 } });
  });

  it("a change through the session cookie names the user's email", async () => {
    const job = await postJob(who.operator);
    const cookie = await sessionCookie(who.users.admin, "admin");
    const [event] = await newEvents(
      job.id,
      () => api("PATCH", `/api/jobs/${job.id}`, { body: { notes: "by cookie" }, headers: { cookie, origin: "http://localhost:3000" } }),
      200,
    );
    expect(event.actor).toBe(who.users.admin.email);
  });

  it("refused and failed calls write no audit event", async () => {
    const job = await postJob(who.operator);
    const taken = await postJob(who.operator);
    const calls = [
      () => api("PATCH", `/api/jobs/${job.id}`, { token: who.viewer, body: { notes: "x" } }),
      () => api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: 5 } }),
      () => api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "x" }, headers: { "if-match": '"9"' } }),
      () => api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { name: taken.name } }),
      () => api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: jobInput({ name: taken.name }) }),
      () => api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator }),
      () => api("DELETE", `/api/jobs/${job.id}`, { token: who.revoked }),
      () => api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator, body: { version: 3 } }),
    ];
    const before = await (await getPrisma()).auditEvent.count();
    for (const run of calls) expect((await run()).status).toBeGreaterThanOrEqual(400);
    expect(await (await getPrisma()).auditEvent.count()).toBe(before);
    expect(await auditRows(job.id)).toHaveLength(1);
  });

  it("the number of events equals the number of versions a job went through", async () => {
    const job = await postJob(who.operator);
    await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "1" } });
    await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator });
    await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator });
    await api("PUT", `/api/jobs/${job.id}`, { token: who.operator, body: jobInput({ name: job.name }) });
    const read = await api("GET", `/api/jobs/${job.id}`, { token: who.viewer });
    expect(read.body.version).toBe(4);
    expect(await auditRows(job.id)).toHaveLength(4);
  });
});

describe("GET /api/audit", () => {
  let jobA: { id: string; name: string };
  let jobB: { id: string; name: string };

  beforeAll(async () => {
    jobA = await postJob(who.operator);
    jobB = await postJob(who.admin);
    for (let i = 1; i <= 3; i++) {
      await nextMillisecond();
      await api("PATCH", `/api/jobs/${jobA.id}`, { token: who.operator, body: { notes: `edit ${i}` } });
    }
    await api("POST", `/api/jobs/${jobB.id}/disable`, { token: who.admin });
  });

  it("answers a page of events in the contract's shape, newest first", async () => {
    const response = await api("GET", "/api/audit", { token: who.operator });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ page: 1, pageSize: 50 });
    expect(response.body.total).toBeGreaterThanOrEqual(6);
    const [event] = response.body.items;
    expect(Object.keys(event).sort()).toEqual(["action", "actor", "at", "changes", "id", "summary", "targetId", "targetType"]);
    expect(event.id).toMatch(UUID);
    expect(event.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const times = response.body.items.map((item: { at: string }) => item.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("filters by targetId", async () => {
    const response = await api("GET", `/api/audit?targetId=${jobA.id}`, { token: who.operator });
    expect(response.body.total).toBe(4);
    expect(response.body.items.map((item: { action: string }) => item.action)).toEqual(["job.update", "job.update", "job.update", "job.create"]);
    expect(response.body.items[0].changes).toEqual({ notes: { from: "edit 2", to: "edit 3" } });
  });

  it("filters by action and by actor (ignoring case)", async () => {
    const disables = await api("GET", `/api/audit?action=job.disable&targetId=${jobB.id}`, { token: who.operator });
    expect(disables.body.items).toHaveLength(1);
    expect(disables.body.items[0]).toMatchObject({ actor: who.tokenNames.admin, targetId: jobB.id });

    const byAdmin = await api("GET", `/api/audit?actor=${who.tokenNames.admin.toUpperCase()}`, { token: who.operator });
    expect(byAdmin.body.total).toBeGreaterThanOrEqual(2);
    for (const item of byAdmin.body.items) expect(item.actor).toBe(who.tokenNames.admin);

    const none = await api("GET", `/api/audit?actor=nobody@example.test`, { token: who.operator });
    expect(none.body).toMatchObject({ items: [], total: 0 });
  });

  it("combines filters and pages through them", async () => {
    const query = `targetId=${jobA.id}&action=job.update&actor=${who.tokenNames.operator}`;
    const first = await api("GET", `/api/audit?${query}&pageSize=2`, { token: who.operator });
    const second = await api("GET", `/api/audit?${query}&pageSize=2&page=2`, { token: who.operator });
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    const ids = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(3);
  });

  it("includes the events of identities and tokens created by the system", async () => {
    const response = await api("GET", "/api/audit?action=token.revoke", { token: who.admin });
    expect(response.body.total).toBeGreaterThanOrEqual(1);
    expect(response.body.items[0]).toMatchObject({ actor: "system", targetType: "token" });
  });

  it("is for operators: viewer 403, anonymous 401", async () => {
    expectError(await api("GET", "/api/audit", { token: who.viewer }), 403, "FORBIDDEN");
    expectError(await api("GET", "/api/audit"), 401, "UNAUTHENTICATED");
  });

  it("the job detail carries its newest 20 audit events", async () => {
    const job = await postJob(who.operator);
    for (let i = 1; i <= 21; i++) {
      await nextMillisecond();
      await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: `n${i}` } });
    }
    const read = await api("GET", `/api/jobs/${job.id}`, { token: who.viewer });
    expect(read.body.audit).toHaveLength(20);
    expect(read.body.audit[0].changes).toEqual({ notes: { from: "n20", to: "n21" } });
    expect(read.body.audit.map((event: { action: string }) => event.action)).not.toContain("job.create");
    expect(await auditRows(job.id)).toHaveLength(22);
  });
});
