// Pause-until and the maintenance window: the API (who, bad input, audit) and what the tick does
// while they hold: each held fire is a SKIPPED row (PAUSED, MAINTENANCE), so history has no silent
// gap; fires after the hold, and run now during it, run.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { tick } from "@/lib/engine/tick";
import { EVERY_MINUTE, MINUTE, NO_LOOKAHEAD, plus, twentyMinutesAgo } from "./support";
import { api } from "../../support/api";
import {
  auditActions,
  auditRows,
  createIdentities,
  executionsOf,
  expectError,
  jobRow,
  postJob,
  resetDatabase,
  setNextRunAt,
  settleActiveExecutions,
  systemJobRow,
  type Identities,
} from "../../support/fixtures";

let who: Identities;

const base = twentyMinutesAgo;
const inAnHour = () => new Date(Date.now() + 60 * MINUTE).toISOString();

const summary = (rows: { status: string; scheduledFor: Date; errorCode: string | null; trigger: string }[]) =>
  rows.map((row) => `${row.trigger}:${row.status}${row.errorCode ? `/${row.errorCode}` : ""}@${row.scheduledFor.toISOString()}`);

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  const db = await getPrisma();
  await db.job.updateMany({ where: { systemKey: null }, data: { nextRunAt: null } });
  await db.maintenanceWindow.deleteMany({});
  await settleActiveExecutions();
});

const pause = (id: string, body: unknown, token = who.operator) => api("POST", `/api/jobs/${id}/pause`, { token, body });

describe("POST /api/jobs/:id/pause and /resume", () => {
  it("sets pausedUntil (audited job.pause), and resume clears it (job.resume); resuming again changes nothing", async () => {
    const job = await postJob(who.operator);
    const until = inAnHour();
    const paused = await pause(job.id, { until });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ pausedUntil: new Date(until).toISOString(), version: 2 });
    expect(paused.headers.get("etag")).toBe('"2"');
    expect((await api("GET", `/api/jobs/${job.id}`, { token: who.viewer })).body.pausedUntil).toBe(new Date(until).toISOString());

    const resumed = await api("POST", `/api/jobs/${job.id}/resume`, { token: who.operator });
    expect(resumed.body).toMatchObject({ pausedUntil: null, version: 3 });
    const again = await api("POST", `/api/jobs/${job.id}/resume`, { token: who.operator });
    expect(again.body.version).toBe(3);
    expect(await auditActions(job.id)).toEqual(["job.create", "job.pause", "job.resume"]);
    const [event] = (await auditRows(job.id)).filter((row) => row.action === "job.pause");
    expect(event.changes).toEqual({ pausedUntil: { from: null, to: new Date(until).toISOString() } });
  });

  it("refuses a time in the past, a malformed time, a stale version and a system-managed job", async () => {
    const job = await postJob(who.operator);
    expect(expectError(await pause(job.id, { until: new Date(Date.now() - 1000).toISOString() }), 400, "VALIDATION_FAILED").field).toBe("until");
    expect(expectError(await pause(job.id, { until: "tomorrow" }), 400, "VALIDATION_FAILED").field).toBe("until");
    expect(expectError(await pause(job.id, {}), 400, "VALIDATION_FAILED").field).toBe("until");
    expectError(await pause(job.id, { until: inAnHour(), version: 7 }), 409, "CONFLICT");
    expectError(await pause((await systemJobRow()).id, { until: inAnHour() }), 403, "SYSTEM_MANAGED");
    expectError(await pause(job.id, { until: inAnHour() }, who.viewer), 403, "FORBIDDEN");
    expect(await jobRow(job.id)).toMatchObject({ pausedUntil: null, version: 1 });
  });
});

describe("the tick while a job is paused", () => {
  it("records each fire before pausedUntil as SKIPPED/PAUSED, then fires normally", async () => {
    const T = base();
    const job = await postJob(who.operator, { schedule: EVERY_MINUTE });
    const db = await getPrisma();
    // Paused until T+1min (set directly: the API only takes future times, and T is in the past).
    await db.job.update({ where: { id: job.id }, data: { pausedUntil: plus(T, MINUTE) } });
    await setNextRunAt(job.id, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    await tick(plus(T, MINUTE + 100), NO_LOOKAHEAD);
    const rows = await executionsOf(job.id);
    expect(summary(rows)).toEqual([`schedule:SKIPPED/PAUSED@${T.toISOString()}`, `schedule:QUEUED@${plus(T, MINUTE).toISOString()}`]);
    expect(rows[0].errorMessage).toContain(`Paused until ${plus(T, MINUTE).toISOString()}`);
    expect(rows[0].finishedAt).not.toBeNull();
  });

  it("coalesces the held fires one tick handles (after a scheduler outage) into one row that counts them", async () => {
    const T = base();
    const job = await postJob(who.operator, { schedule: EVERY_MINUTE, misfirePolicy: "catch_up" });
    const db = await getPrisma();
    await db.job.update({ where: { id: job.id }, data: { pausedUntil: plus(T, 10 * MINUTE) } });
    await setNextRunAt(job.id, T);
    await tick(plus(T, 5 * MINUTE + 100), NO_LOOKAHEAD);
    const rows = await executionsOf(job.id);
    expect(summary(rows)).toEqual([`schedule:SKIPPED/PAUSED@${T.toISOString()}`]);
    expect(rows[0].errorMessage).toContain(`6 fire times from ${T.toISOString()} to ${plus(T, 5 * MINUTE).toISOString()}`);
    expect((await jobRow(job.id))!.nextRunAt).toEqual(plus(T, 6 * MINUTE));
  });

  it("run now still runs a paused job", async () => {
    const job = await postJob(who.operator, { schedule: EVERY_MINUTE });
    await pause(job.id, { until: inAnHour() });
    const response = await api("POST", `/api/jobs/${job.id}/run`, { token: who.operator });
    expect(response.status).toBe(202);
    expect(response.body.execution).toMatchObject({ status: "QUEUED", trigger: "manual" });
  });
});

describe("the maintenance window", () => {
  const put = (body: unknown, token = who.admin) => api("PUT", "/api/maintenance", { token, body });

  it("GET answers null, PUT sets it (admin; audited maintenance.set), GET shows it to viewers, DELETE ends it (audited maintenance.clear)", async () => {
    expect((await api("GET", "/api/maintenance", { token: who.viewer })).body).toBeNull();
    const until = inAnHour();
    const set = await put({ until, reason: "Database upgrade" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ until: new Date(until).toISOString(), reason: "Database upgrade", setBy: who.tokenNames.admin, setAt: expect.any(String) });
    expect((await api("GET", "/api/maintenance", { token: who.viewer })).body).toEqual(set.body);

    const cleared = await api("DELETE", "/api/maintenance", { token: who.admin });
    expect(cleared.status).toBe(204);
    expect((await api("GET", "/api/maintenance", { token: who.viewer })).body).toBeNull();
    expect((await api("DELETE", "/api/maintenance", { token: who.admin })).status).toBe(204);
    const db = await getPrisma();
    const events = await db.auditEvent.findMany({ where: { action: { startsWith: "maintenance." } }, orderBy: { seq: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["maintenance.set", "maintenance.clear"]);
  });

  it("refuses operators and viewers, a past end, a missing reason", async () => {
    expectError(await put({ until: inAnHour(), reason: "x" }, who.operator), 403, "FORBIDDEN");
    expectError(await api("DELETE", "/api/maintenance", { token: who.operator }), 403, "FORBIDDEN");
    expect(expectError(await put({ until: new Date(Date.now() - 1000).toISOString(), reason: "x" }), 400, "VALIDATION_FAILED").field).toBe("until");
    expect(expectError(await put({ until: inAnHour(), reason: "  " }), 400, "VALIDATION_FAILED").field).toBe("reason");
    expect(expectError(await put({ until: inAnHour() }), 400, "VALIDATION_FAILED").field).toBe("reason");
    expect((await api("GET", "/api/maintenance", { token: who.viewer })).body).toBeNull();
  });

  it("records every scheduled fire as SKIPPED/MAINTENANCE with the reason, while run now still runs", async () => {
    const T = base();
    const jobs = [await postJob(who.operator, { schedule: EVERY_MINUTE }), await postJob(who.operator, { schedule: EVERY_MINUTE })];
    const db = await getPrisma();
    await db.maintenanceWindow.create({ data: { until: plus(T, MINUTE), reason: "Moving racks", setBy: "test" } });
    for (const job of jobs) await setNextRunAt(job.id, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    await tick(plus(T, MINUTE + 100), NO_LOOKAHEAD);
    for (const job of jobs) {
      const rows = await executionsOf(job.id);
      expect(summary(rows)).toEqual([`schedule:SKIPPED/MAINTENANCE@${T.toISOString()}`, `schedule:QUEUED@${plus(T, MINUTE).toISOString()}`]);
      expect(rows[0].errorMessage).toContain("Moving racks");
    }
    await put({ until: inAnHour(), reason: "Still moving" });
    expect((await api("POST", `/api/jobs/${jobs[0].id}/run`, { token: who.operator })).body.execution).toMatchObject({ status: "QUEUED" });
  });
});
