// The scheduler tick against the real database, with the clock passed in (lookahead 0): which
// executions it materialises, how nextRunAt advances, and the overlap and misfire policies.
// No worker runs here; claims are made by hand with claimExecutions.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { claimExecutions } from "@/lib/engine/claim";
import { tick } from "@/lib/engine/tick";
import { EVERY_MINUTE, MINUTE, NO_LOOKAHEAD, plus, SECOND, twentyMinutesAgo } from "./support";
import { api } from "../../support/api";
import {
  createIdentities,
  executionsOf,
  markFailed,
  postJob,
  resetDatabase,
  setNextRunAt,
  settleActiveExecutions,
  type Identities,
} from "../../support/fixtures";

let who: Identities;

const base = twentyMinutesAgo;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  // Jobs of one test must not fire in the next one's ticks, nor their executions be claimed there.
  const db = await getPrisma();
  await db.job.updateMany({ where: { systemKey: null }, data: { nextRunAt: null } });
  await settleActiveExecutions();
});

async function dueJob(overrides: Parameters<typeof postJob>[1], nextRunAt: Date) {
  const job = await postJob(who.operator, overrides);
  await setNextRunAt(job.id, nextRunAt);
  return job;
}

async function nextRunAtOf(jobId: string): Promise<string | null> {
  const db = await getPrisma();
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
  return job.nextRunAt?.toISOString() ?? null;
}

const summary = (rows: { status: string; scheduledFor: Date; errorCode: string | null }[]) =>
  rows.map((row) => `${row.status}${row.errorCode ? `/${row.errorCode}` : ""}@${row.scheduledFor.toISOString()}`);

/** Ends a running execution as its worker would (the worker itself is tested elsewhere). */
async function finish(id: string) {
  const db = await getPrisma();
  await db.execution.update({ where: { id, status: "RUNNING" }, data: { status: "SUCCEEDED", finishedAt: new Date(), durationMs: 1 } });
}

const claimedIds = async (workerId = "tick-test-worker") => (await claimExecutions(workerId, 50)).map((row) => row.id);

describe("tick: materialising executions", () => {
  it("queues one execution per due job with the job's definition, and advances nextRunAt from the fire time", async () => {
    const T = base();
    const job = await dueJob(
      { schedule: EVERY_MINUTE, params: { durationMs: 10, steps: 1 }, maxAttempts: 2, retryBackoffSeconds: 5, timeoutSeconds: 77 },
      T,
    );
    const now = plus(T, 250);
    const result = await tick(now, NO_LOOKAHEAD);
    expect(result.queued).toBeGreaterThanOrEqual(1);

    const rows = await executionsOf(job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "QUEUED",
      trigger: "schedule",
      triggeredBy: "scheduler",
      attempt: 1,
      jobId: job.id,
      jobVersion: job.version,
      jobName: job.name,
      type: "demo.sleep",
      maxAttempts: 2,
      retryBackoffSeconds: 5,
      timeoutSeconds: 77,
      startedAt: null,
      finishedAt: null,
      workerId: null,
      errorCode: null,
    });
    expect(rows[0].scheduledFor.toISOString()).toBe(T.toISOString());
    expect(rows[0].queuedAt.toISOString()).toBe(now.toISOString());
    expect(rows[0].params).toEqual(job.params);
    expect(await nextRunAtOf(job.id)).toBe(plus(T, MINUTE).toISOString());

    const read = await api("GET", `/api/executions/${rows[0].id}`, { token: who.viewer });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: "QUEUED", scheduledFor: T.toISOString(), trigger: "schedule", cancelRequested: false, error: null });
  });

  it("a second tick for the same instant inserts nothing, even when nextRunAt points at it again", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE }, T);
    const now = plus(T, 100);
    await tick(now, NO_LOOKAHEAD);
    await tick(now, NO_LOOKAHEAD);
    expect(await executionsOf(job.id)).toHaveLength(1);

    // As if a scheduler with an older view of the job ticked: (jobId, scheduledFor) is unique.
    await setNextRunAt(job.id, T);
    await tick(now, NO_LOOKAHEAD);
    const rows = await executionsOf(job.id);
    expect(summary(rows)).toEqual([`QUEUED@${T.toISOString()}`]);
  });

  it("a retry or run-now due at exactly a fire's instant never takes the fire's place", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "allow" }, T);
    const db = await getPrisma();
    const common = { jobId: job.id, jobName: job.name, type: job.type, triggeredBy: "test", params: job.params, scheduledFor: T, status: "SUCCEEDED" as const };
    await db.execution.create({ data: { ...common, trigger: "retry", attempt: 2 } });
    await db.execution.create({ data: { ...common, trigger: "manual" } });
    const result = await tick(plus(T, 100), NO_LOOKAHEAD);
    expect(result.queued).toBe(1);
    const rows = await executionsOf(job.id);
    expect(rows.map((row) => row.trigger).sort()).toEqual(["manual", "retry", "schedule"]);
    expect(rows.every((row) => row.scheduledFor.getTime() === T.getTime())).toBe(true);
  });

  it("two schedulers ticking at the same moment materialise each fire exactly once", async () => {
    const T = base();
    const jobs = await Promise.all([0, 1, 2].map(() => dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "allow" }, T)));
    const now = plus(T, 100);
    await Promise.all([tick(now, { ...NO_LOOKAHEAD, workerId: "instance-a" }), tick(now, { ...NO_LOOKAHEAD, workerId: "instance-b" })]);
    for (const job of jobs) {
      expect(summary(await executionsOf(job.id))).toEqual([`QUEUED@${T.toISOString()}`]);
      expect(await nextRunAtOf(job.id)).toBe(plus(T, MINUTE).toISOString());
    }
  });

  it("an interval advances by its period from the fire time, never from the tick time (no drift)", async () => {
    const T = base();
    const job = await dueJob({ schedule: { type: "interval", everySeconds: 30 }, overlapPolicy: "allow" }, T);
    await tick(plus(T, 900), NO_LOOKAHEAD);
    expect(await nextRunAtOf(job.id)).toBe(plus(T, 30 * SECOND).toISOString());
    await tick(plus(T, 30 * SECOND + 700), NO_LOOKAHEAD);
    expect(await nextRunAtOf(job.id)).toBe(plus(T, 60 * SECOND).toISOString());
    expect(summary(await executionsOf(job.id))).toEqual([`QUEUED@${T.toISOString()}`, `QUEUED@${plus(T, 30 * SECOND).toISOString()}`]);
  });

  it("a cron job in a timezone advances to its next local fire time", async () => {
    // 09:00 in Berlin is 08:00Z in January.
    const T = new Date("2026-01-15T08:00:00.000Z");
    const job = await dueJob({ schedule: { type: "cron", expression: "0 9 * * *", timezone: "Europe/Berlin" } }, T);
    await tick(plus(T, 500), NO_LOOKAHEAD);
    expect(summary(await executionsOf(job.id))).toEqual([`QUEUED@${T.toISOString()}`]);
    expect(await nextRunAtOf(job.id)).toBe("2026-01-16T08:00:00.000Z");
  });

  it("a one-off job fires once; then nextRunAt is null and later ticks do nothing", async () => {
    const at = new Date(Math.ceil((Date.now() + 3_600_000) / SECOND) * SECOND);
    const job = await postJob(who.operator, { schedule: { type: "once", at: at.toISOString() } });
    expect(job.nextRunAt).toBe(at.toISOString());
    await tick(plus(at, -1), NO_LOOKAHEAD);
    expect(await executionsOf(job.id)).toHaveLength(0);
    await tick(plus(at, 100), NO_LOOKAHEAD);
    expect(summary(await executionsOf(job.id))).toEqual([`QUEUED@${at.toISOString()}`]);
    expect(await nextRunAtOf(job.id)).toBeNull();
    await tick(plus(at, MINUTE), NO_LOOKAHEAD);
    expect(await executionsOf(job.id)).toHaveLength(1);
    expect((await api("GET", `/api/jobs/${job.id}`, { token: who.viewer })).body.nextRunAt).toBeNull();
  });

  it("disabled, failed, deleted and manual jobs never fire, even with a stale nextRunAt", async () => {
    const T = base();
    const control = await dueJob({ schedule: EVERY_MINUTE }, T);
    const disabled = await postJob(who.operator, { schedule: EVERY_MINUTE });
    expect((await api("POST", `/api/jobs/${disabled.id}/disable`, { token: who.operator })).status).toBe(200);
    const failed = await postJob(who.operator, { schedule: EVERY_MINUTE });
    await markFailed(failed.id);
    const deleted = await postJob(who.operator, { schedule: EVERY_MINUTE });
    expect((await api("DELETE", `/api/jobs/${deleted.id}`, { token: who.operator })).status).toBe(204);
    const manual = await postJob(who.operator, { schedule: { type: "manual" } });
    expect(manual.nextRunAt).toBeNull();
    // A stale next_run_at (a bug elsewhere, a hand edit) must not make them fire.
    for (const job of [disabled, failed, deleted]) await setNextRunAt(job.id, T);

    await tick(plus(T, 100), NO_LOOKAHEAD);
    await tick(new Date(Date.now() + 86_400_000), NO_LOOKAHEAD);

    expect(await executionsOf(control.id)).not.toHaveLength(0);
    for (const [label, job] of Object.entries({ disabled, failed, deleted, manual })) {
      expect(await executionsOf(job.id), label).toHaveLength(0);
    }
  });

  it("queues a fire due within the lookahead with its exact scheduledFor, and no worker claims it early", async () => {
    const soon = new Date(Math.ceil((Date.now() + 1500) / SECOND) * SECOND);
    const later = plus(soon, 5 * SECOND);
    const dueSoon = await dueJob({ schedule: { type: "interval", everySeconds: 3600 } }, soon);
    const dueLater = await dueJob({ schedule: { type: "interval", everySeconds: 3600 } }, later);
    await tick(plus(soon, -800), { ...NO_LOOKAHEAD, lookaheadMs: 1000 });
    expect(summary(await executionsOf(dueSoon.id))).toEqual([`QUEUED@${soon.toISOString()}`]);
    expect(await executionsOf(dueLater.id)).toHaveLength(0);
    const [execution] = await executionsOf(dueSoon.id);
    if (Date.now() < soon.getTime() - 100) expect(await claimedIds()).not.toContain(execution.id);
  });

  it("records the instance's tick, which GET /api/health reports", async () => {
    // Later than every tick the tests above made (one ran with a clock 1.5 s ahead): health reports the newest.
    const now = new Date(Date.now() + 5000);
    await tick(now, { ...NO_LOOKAHEAD, workerId: "health-instance" });
    const health = await api("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.body.scheduler.lastTickAt).toBe(now.toISOString());
    const db = await getPrisma();
    const instance = await db.schedulerInstance.findUniqueOrThrow({ where: { id: "health-instance" } });
    expect(instance.lastTickAt?.toISOString()).toBe(now.toISOString());
  });
});

describe("tick: overlap policies", () => {
  it("skip: a fire due while an earlier run is queued or running is recorded as SKIPPED with OVERLAP", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "skip" }, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    const [first] = await executionsOf(job.id);
    expect(first.status).toBe("QUEUED");

    const whileQueued = plus(T, MINUTE + 100);
    await tick(whileQueued, NO_LOOKAHEAD);
    const second = (await executionsOf(job.id))[1];
    expect(second).toMatchObject({ status: "SKIPPED", errorCode: "OVERLAP", trigger: "schedule", startedAt: null });
    expect(second.scheduledFor.toISOString()).toBe(plus(T, MINUTE).toISOString());
    expect(second.finishedAt?.toISOString()).toBe(whileQueued.toISOString());
    const read = await api("GET", `/api/executions/${second.id}`, { token: who.viewer });
    expect(read.body.status).toBe("SKIPPED");
    expect(read.body.error.code).toBe("OVERLAP");
    expect(read.body.error.message.length).toBeGreaterThan(0);

    expect(await claimedIds()).toContain(first.id);
    await tick(plus(T, 2 * MINUTE + 100), NO_LOOKAHEAD);
    expect((await executionsOf(job.id))[2]).toMatchObject({ status: "SKIPPED", errorCode: "OVERLAP" });

    await finish(first.id);
    await tick(plus(T, 3 * MINUTE + 100), NO_LOOKAHEAD);
    expect(summary(await executionsOf(job.id))).toEqual([
      `SUCCEEDED@${T.toISOString()}`,
      `SKIPPED/OVERLAP@${plus(T, MINUTE).toISOString()}`,
      `SKIPPED/OVERLAP@${plus(T, 2 * MINUTE).toISOString()}`,
      `QUEUED@${plus(T, 3 * MINUTE).toISOString()}`,
    ]);
  });

  it("allow: fires while another run is active are queued and run in parallel", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "allow" }, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    await tick(plus(T, MINUTE + 100), NO_LOOKAHEAD);
    const rows = await executionsOf(job.id);
    expect(rows.map((row) => row.status)).toEqual(["QUEUED", "QUEUED"]);
    const claimed = await claimedIds();
    expect(claimed).toEqual(expect.arrayContaining(rows.map((row) => row.id)));
    expect((await executionsOf(job.id)).map((row) => row.status)).toEqual(["RUNNING", "RUNNING"]);
  });

  it("queue: the next run waits, unclaimed, while the earlier one runs, then runs", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "queue" }, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    await tick(plus(T, MINUTE + 100), NO_LOOKAHEAD);
    const [first, second] = await executionsOf(job.id);
    expect([first.status, second.status]).toEqual(["QUEUED", "QUEUED"]);

    const claimed = await claimedIds("worker-1");
    expect(claimed).toContain(first.id);
    expect(claimed).not.toContain(second.id);
    expect(await claimedIds("worker-2")).not.toContain(second.id);
    expect((await executionsOf(job.id)).map((row) => row.status)).toEqual(["RUNNING", "QUEUED"]);

    await finish(first.id);
    expect(await claimedIds("worker-2")).toContain(second.id);
  });

  it("replace: a new fire cancels queued runs and asks the running one to stop; the new one waits for it", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "replace" }, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    await tick(plus(T, MINUTE + 100), NO_LOOKAHEAD);
    let [first, second] = await executionsOf(job.id);
    expect(first).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });
    expect(first.finishedAt).not.toBeNull();
    expect(second.status).toBe("QUEUED");

    expect(await claimedIds()).toContain(second.id);
    await tick(plus(T, 2 * MINUTE + 100), NO_LOOKAHEAD);
    const rows = await executionsOf(job.id);
    second = rows[1];
    const third = rows[2];
    expect(second.status).toBe("RUNNING");
    expect(second.cancelRequestedAt).not.toBeNull();
    expect(third.status).toBe("QUEUED");
    const read = await api("GET", `/api/executions/${second.id}`, { token: who.viewer });
    expect(read.body).toMatchObject({ status: "RUNNING", cancelRequested: true });
    expect(await claimedIds()).not.toContain(third.id);
  });

  it("replace: re-planning a fire that is already queued does not cancel it", async () => {
    const T = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, overlapPolicy: "replace" }, T);
    await tick(plus(T, 100), NO_LOOKAHEAD);
    // nextRunAt points at the queued fire again (another scheduler's stale view, or an edit that recomputed it).
    await setNextRunAt(job.id, T);
    await tick(plus(T, 200), NO_LOOKAHEAD);
    expect(summary(await executionsOf(job.id))).toEqual([`QUEUED@${T.toISOString()}`]);
  });
});

describe("tick: misfire policies after a scheduler was down for 3 minutes", () => {
  // Every minute; next_run_at 3 minutes before the last fire time M; now is M + 30 s. So M-3, M-2
  // and M-1 are past the 60 s grace period and M is on time.
  const setup = async (misfirePolicy: "run_once" | "skip" | "catch_up", overlapPolicy: "skip" | "queue" = "skip") => {
    const M = base();
    const job = await dueJob({ schedule: EVERY_MINUTE, misfirePolicy, overlapPolicy }, plus(M, -3 * MINUTE));
    const now = plus(M, 30 * SECOND);
    await tick(now, NO_LOOKAHEAD);
    return { M, job, now, rows: await executionsOf(job.id) };
  };

  it("run_once: exactly one run, for the latest fire time, and the next fire in the future", async () => {
    const { M, job, now, rows } = await setup("run_once");
    expect(summary(rows)).toEqual([`QUEUED@${M.toISOString()}`]);
    const next = await nextRunAtOf(job.id);
    expect(next).toBe(plus(M, MINUTE).toISOString());
    expect(new Date(next!).getTime()).toBeGreaterThan(now.getTime());
  });

  it("skip: the missed times are one SKIPPED MISFIRE record; the on-time fire runs; the next is in the future", async () => {
    const { M, job, now, rows } = await setup("skip");
    expect(summary(rows)).toEqual([`SKIPPED/MISFIRE@${plus(M, -3 * MINUTE).toISOString()}`, `QUEUED@${M.toISOString()}`]);
    expect(rows[0].errorMessage).toContain("3 fire time");
    expect(rows[0].finishedAt).not.toBeNull();
    const read = await api("GET", `/api/executions/${rows[0].id}`, { token: who.viewer });
    expect(read.body).toMatchObject({ status: "SKIPPED", error: { code: "MISFIRE" } });
    expect(new Date((await nextRunAtOf(job.id))!).getTime()).toBeGreaterThan(now.getTime());
  });

  it("catch_up: every missed time is queued", async () => {
    const { M, job, rows } = await setup("catch_up", "queue");
    expect(summary(rows)).toEqual([-3, -2, -1, 0].map((n) => `QUEUED@${plus(M, n * MINUTE).toISOString()}`));
    expect(await nextRunAtOf(job.id)).toBe(plus(M, MINUTE).toISOString());
  });

  it("catch_up: an every-second job down for 5 minutes gets the latest 100 runs and one SKIPPED MISFIRE for the rest", async () => {
    const S = new Date(Math.floor(Date.now() / SECOND) * SECOND - 20 * MINUTE);
    const job = await dueJob(
      { schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" }, misfirePolicy: "catch_up", overlapPolicy: "allow" },
      plus(S, -5 * MINUTE),
    );
    const result = await tick(S, NO_LOOKAHEAD);
    expect(result.queued).toBe(100);
    const rows = await executionsOf(job.id);
    const queued = rows.filter((row) => row.status === "QUEUED");
    const skipped = rows.filter((row) => row.status === "SKIPPED");
    expect(rows).toHaveLength(101);
    expect(queued).toHaveLength(100);
    expect(queued.map((row) => row.scheduledFor.toISOString())).toEqual(
      Array.from({ length: 100 }, (_, i) => plus(S, (i - 99) * SECOND).toISOString()),
    );
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ errorCode: "MISFIRE" });
    expect(skipped[0].scheduledFor.toISOString()).toBe(plus(S, -5 * MINUTE).toISOString());
    expect(await nextRunAtOf(job.id)).toBe(plus(S, SECOND).toISOString());
  });
});
