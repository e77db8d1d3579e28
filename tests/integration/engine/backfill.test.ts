// POST /api/jobs/:id/backfill: a dry run lists the fire times of [from, to) from the job's own
// schedule; queueing makes one backfill run per time, skips the times that already ran, is audited,
// and the worker's claim runs a job's backfill runs one at a time, oldest first.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { claimExecutions } from "@/lib/engine/claim";
import { HOUR, MINUTE, plus } from "./support";
import { api } from "../../support/api";
import {
  auditActions,
  createIdentities,
  executionsOf,
  expectError,
  insertExecution,
  postJob,
  resetDatabase,
  setNextRunAt,
  settleActiveExecutions,
  systemJobRow,
  type Identities,
} from "../../support/fixtures";

let who: Identities;

/** Every hour at :30, in Berlin: the fire times come from croner, time zone and all. */
const HOURLY_BERLIN = { type: "cron", expression: "30 * * * *", timezone: "Europe/Berlin" } as const;
/** An hour boundary a day ago: ranges below are wholly in the past. */
const dayAgo = () => new Date(Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR);
const iso = (date: Date) => date.toISOString();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  const db = await getPrisma();
  await db.job.updateMany({ where: { systemKey: null }, data: { nextRunAt: null } });
  await settleActiveExecutions();
});

const backfill = (id: string, body: unknown, token = who.operator) => api("POST", `/api/jobs/${id}/backfill`, { token, body });

describe("backfill", () => {
  it("a dry run lists the fire times in [from, to) and queues nothing", async () => {
    const T = dayAgo();
    const job = await postJob(who.operator, { schedule: HOURLY_BERLIN });
    const response = await backfill(job.id, { from: iso(T), to: iso(plus(T, 3 * HOUR)), dryRun: true });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({
      fireTimes: [iso(plus(T, 30 * MINUTE)), iso(plus(T, 90 * MINUTE)), iso(plus(T, 150 * MINUTE))],
      count: 3,
      existing: [],
    });
    expect(await executionsOf(job.id)).toEqual([]);
    expect(await auditActions(job.id)).toEqual(["job.create"]);
  });

  it("queues one backfill run per fire time, skipping the times that already have an execution; audited job.backfill", async () => {
    const T = dayAgo();
    const job = await postJob(who.operator, { schedule: HOURLY_BERLIN });
    await insertExecution(job, plus(T, 90 * MINUTE));
    const range = { from: iso(T), to: iso(plus(T, 3 * HOUR)) };
    expect((await backfill(job.id, { ...range, dryRun: true })).body.existing).toEqual([iso(plus(T, 90 * MINUTE))]);

    const response = await backfill(job.id, range);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body.count).toBe(2);
    expect(response.body.skipped).toBe(1);
    expect(response.body.executions.map((run: { scheduledFor: string }) => run.scheduledFor)).toEqual([iso(plus(T, 30 * MINUTE)), iso(plus(T, 150 * MINUTE))]);
    const rows = (await executionsOf(job.id)).filter((row) => row.trigger === "backfill");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ status: "QUEUED", triggeredBy: who.tokenNames.operator, jobVersion: 1, params: job.params });
    expect(await auditActions(job.id)).toEqual(["job.backfill", "job.create"]);
    // A job's history filters by trigger.
    const history = await api("GET", `/api/jobs/${job.id}/executions?trigger=backfill`, { token: who.viewer });
    expect(history.body.items.map((run: { trigger: string }) => run.trigger)).toEqual(["backfill", "backfill"]);

    // The same range again: every time has an execution now.
    expect((await backfill(job.id, range)).body).toMatchObject({ count: 0, skipped: 3, executions: [] });
  });

  it("an interval job's fire times lie on its own grid (through nextRunAt)", async () => {
    const T = dayAgo();
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 600 } });
    // The job fires at :07, :17, :27… (a grid through its next run, 7 minutes past an hour, a day on).
    await setNextRunAt(job.id, plus(T, 24 * HOUR + 7 * MINUTE));
    const response = await backfill(job.id, { from: iso(T), to: iso(plus(T, 30 * MINUTE)), dryRun: true });
    expect(response.body.fireTimes).toEqual([iso(plus(T, 7 * MINUTE)), iso(plus(T, 17 * MINUTE)), iso(plus(T, 27 * MINUTE))]);
  });

  it("the claim runs a job's backfill runs one at a time, oldest first, while other work is claimed beside them", async () => {
    const T = dayAgo();
    const job = await postJob(who.operator, { schedule: HOURLY_BERLIN, overlapPolicy: "allow" });
    const other = await postJob(who.operator, { schedule: { type: "manual" } });
    await backfill(job.id, { from: iso(T), to: iso(plus(T, 3 * HOUR)) });
    const run = await api("POST", `/api/jobs/${other.id}/run`, { token: who.operator });

    const first = await claimExecutions("backfill-worker-1", 10);
    expect(first.map((row) => row.trigger).sort()).toEqual(["backfill", "manual"]);
    const firstBackfill = first.find((row) => row.trigger === "backfill")!;
    expect(firstBackfill.scheduledFor).toEqual(plus(T, 30 * MINUTE));
    expect(first.some((row) => row.id === run.body.execution.id)).toBe(true);
    // Another worker finds nothing of the job's backfill to start while one runs.
    expect(await claimExecutions("backfill-worker-2", 10)).toEqual([]);

    const db = await getPrisma();
    await db.execution.update({ where: { id: firstBackfill.id }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    const second = await claimExecutions("backfill-worker-2", 10);
    expect(second.map((row) => row.scheduledFor)).toEqual([plus(T, 90 * MINUTE)]);
  });

  it("two claims at once never start two backfill runs of one job", async () => {
    const T = dayAgo();
    const job = await postJob(who.operator, { schedule: HOURLY_BERLIN, overlapPolicy: "allow" });
    await backfill(job.id, { from: iso(T), to: iso(plus(T, 6 * HOUR)) });
    const claimed = (await Promise.all([1, 2, 3].map((i) => claimExecutions(`racer-${i}`, 10)))).flat();
    expect(claimed.filter((row) => row.jobId === job.id)).toHaveLength(1);
  });
});

describe("backfill bad input: 400 with the field named, nothing queued", () => {
  it.each([
    ["over 1,000 fire times", (T: Date) => ({ from: iso(plus(T, -2000 * HOUR)), to: iso(T) }), "to"],
    ["ending in the future", (T: Date) => ({ from: iso(T), to: iso(new Date(Date.now() + HOUR)) }), "to"],
    ["to before from", (T: Date) => ({ from: iso(T), to: iso(plus(T, -HOUR)) }), "to"],
    ["a malformed from", () => ({ from: "yesterday", to: iso(new Date()) }), "from"],
    ["an unknown field", (T: Date) => ({ from: iso(T), to: iso(plus(T, HOUR)), force: true }), "force"],
  ])("%s", async (_label, body, field) => {
    const job = await postJob(who.operator, { schedule: HOURLY_BERLIN });
    const error = expectError(await backfill(job.id, body(dayAgo())), 400, "VALIDATION_FAILED");
    expect(error.field).toBe(field);
    expect(await executionsOf(job.id)).toEqual([]);
  });

  it.each([
    ["a manual job", { type: "manual" } as const],
    ["a one-off job", { type: "once", at: new Date(Date.now() + HOUR).toISOString() } as const],
  ])("%s", async (_label, schedule) => {
    const T = dayAgo();
    const job = await postJob(who.operator, { schedule });
    for (const dryRun of [true, false]) {
      const error = expectError(await backfill(job.id, { from: iso(T), to: iso(plus(T, HOUR)), dryRun }), 400, "VALIDATION_FAILED");
      expect(error.field).toBe("schedule");
    }
    expect(await executionsOf(job.id)).toEqual([]);
  });

  it("a system-managed job, a viewer, an unknown job", async () => {
    const T = dayAgo();
    const range = { from: iso(T), to: iso(plus(T, HOUR)) };
    expectError(await backfill((await systemJobRow()).id, range), 403, "SYSTEM_MANAGED");
    const job = await postJob(who.operator, { schedule: HOURLY_BERLIN });
    expectError(await backfill(job.id, range, who.viewer), 403, "FORBIDDEN");
    expectError(await backfill(crypto.randomUUID(), range), 404, "NOT_FOUND");
  });
});
