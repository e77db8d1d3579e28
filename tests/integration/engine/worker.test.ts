// The worker against the real database: claims, runs demo.sleep, records the outcome (result,
// progress, duration, queue delay, the job's bookkeeping), applies timeouts, concurrency and the
// overlap policies, and requeues what is still running when it stops.
import { beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { getPrisma } from "@/lib/db";
import { tick } from "@/lib/engine/tick";
import { api } from "../../support/api";
import {
  createIdentities,
  executionRow,
  executionsOf,
  jobRow,
  postJob,
  resetDatabase,
  setNextRunAt,
  waitFor,
  waitForStatus,
  type Identities,
} from "../../support/fixtures";
import { workOnce } from "@/lib/engine/worker";
import { claimExecutions } from "@/lib/engine/claim";
import { insertExecutionOf, manualJob, NO_LOOKAHEAD, readExecution, runNow, sleep, testEngineConfig, useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();
const start = workers.start;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const manual = (overrides: Parameters<typeof manualJob>[1] = {}) => manualJob(who.operator, overrides);
const runNowAs = (jobId: string, body?: unknown) => runNow(who.operator, jobId, body);
const read = (id: string) => readExecution(who.viewer, id);

/** A second connection to the database, for the test to hold locks with; closed after `use`. */
async function withOtherConnection<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** `blocker` locks the executions table (reads go on; a claim's row locks wait), and a worker starts whose first claim waits for it. */
async function workerWithClaimWaiting(blocker: pg.Client) {
  await blocker.query("BEGIN");
  await blocker.query("LOCK TABLE executions IN EXCLUSIVE MODE");
  const worker = start();
  await waitFor(async () => {
    const { rows } = await blocker.query("SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = 'executions'::regclass AND NOT granted");
    return rows[0].waiting > 0;
  }, 5000, "the worker's claim to wait for the table lock");
  return worker;
}

describe("worker: outcomes", () => {
  it("runs a queued execution to SUCCEEDED with its result, last progress, duration and queue delay", async () => {
    const job = await manual({ params: { durationMs: 300, steps: 3 } });
    const queued = await runNowAs(job.id);
    const worker = testEngineConfig();
    const done = await workOnce(worker);
    expect(done.claimed).toBe(1);
    expect(done.completions.map((completion) => completion.execution.id)).toEqual([queued.id]);
    const row = (await executionRow(queued.id))!;

    const execution = await read(queued.id);
    expect(execution).toMatchObject({
      status: "SUCCEEDED",
      result: { sleptMs: 300, steps: 3 },
      progress: { percent: 100, message: "Step 3/3" },
      error: null,
      workerId: worker.workerId,
      cancelRequested: false,
      attempt: 1,
    });
    const startedAt = Date.parse(execution.startedAt);
    const finishedAt = Date.parse(execution.finishedAt);
    expect(execution.durationMs).toBeGreaterThanOrEqual(280);
    expect(execution.durationMs).toBeLessThan(3000);
    expect(Math.abs(finishedAt - startedAt - execution.durationMs)).toBeLessThanOrEqual(1);
    expect(execution.queueDelayMs).toBeGreaterThanOrEqual(0);
    expect(execution.queueDelayMs).toBeLessThan(2000);
    expect(Math.abs(startedAt - Date.parse(execution.scheduledFor) - execution.queueDelayMs)).toBeLessThanOrEqual(1);
    expect(execution.lastHeartbeatAt).not.toBeNull();

    const after = await jobRow(job.id);
    expect(after).toMatchObject({ lastStatus: "SUCCEEDED", consecutiveFailures: 0, health: "active", nextRunAt: null });
    expect(after!.lastRunAt?.toISOString()).toBe(row.startedAt!.toISOString());
    expect((await executionsOf(job.id)).length).toBe(1);
  });

  it("stores progress (percent and message) while the handler runs", async () => {
    const job = await manual({ params: { durationMs: 2400, steps: 4 } });
    start();
    const queued = await runNowAs(job.id);
    const seen = await waitFor(
      async () => {
        const execution = await read(queued.id);
        return execution.status === "RUNNING" && execution.progress ? execution : null;
      },
      4000,
      "progress on the running execution",
    );
    expect(seen.progress.percent).toBeGreaterThanOrEqual(25);
    expect(seen.progress.percent).toBeLessThan(100);
    expect(seen.progress.message).toMatch(/^Step [1-3]\/4$/);
  });

  it("runs a fire the tick materialised, with trigger schedule and the delay since it was due", async () => {
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 3600 }, params: { durationMs: 10, steps: 1 } });
    start();
    const due = new Date(Date.now() - 150);
    await setNextRunAt(job.id, due);
    await tick(new Date(), NO_LOOKAHEAD);
    const [queued] = await executionsOf(job.id);
    const row = await waitForStatus(queued.id, "SUCCEEDED", 5000);
    expect(row.trigger).toBe("schedule");
    expect(row.scheduledFor.toISOString()).toBe(due.toISOString());
    expect(row.queueDelayMs).toBeGreaterThanOrEqual(150);
    expect((await jobRow(job.id))!.nextRunAt?.toISOString()).toBe(new Date(due.getTime() + 3_600_000).toISOString());
  });

  it("records a throwing handler as FAILED HANDLER_ERROR with its message, and counts the failure on the job", async () => {
    const job = await manual({ params: { durationMs: 10, steps: 1, fail: true, failMessage: "disk full" } });
    start();
    const first = await runNowAs(job.id);
    await waitForStatus(first.id, "FAILED");
    expect(await read(first.id)).toMatchObject({ status: "FAILED", error: { code: "HANDLER_ERROR", message: "disk full" }, result: null });
    expect(await jobRow(job.id)).toMatchObject({ lastStatus: "FAILED", consecutiveFailures: 1 });

    const second = await runNowAs(job.id);
    await waitForStatus(second.id, "FAILED");
    expect(await jobRow(job.id)).toMatchObject({ lastStatus: "FAILED", consecutiveFailures: 2 });
    // No retries with maxAttempts 1.
    expect(await executionsOf(job.id)).toHaveLength(2);

    const success = await runNowAs(job.id, { params: { fail: false } });
    await waitForStatus(success.id, "SUCCEEDED");
    expect(await jobRow(job.id)).toMatchObject({ lastStatus: "SUCCEEDED", consecutiveFailures: 0, health: "active" });
  });

  it("fails a run that outlives timeoutSeconds with TIMEOUT, without waiting for the handler's own end", async () => {
    const job = await manual({ timeoutSeconds: 1, params: { durationMs: 3000, steps: 3 } });
    start();
    const queued = await runNowAs(job.id);
    const row = await waitForStatus(queued.id, ["FAILED", "SUCCEEDED"], 5000);
    expect(row.status).toBe("FAILED");
    expect(row.errorCode).toBe("TIMEOUT");
    expect(row.durationMs).toBeGreaterThanOrEqual(950);
    expect(row.durationMs).toBeLessThan(2500);
    expect(await jobRow(job.id)).toMatchObject({ lastStatus: "FAILED", consecutiveFailures: 1 });
  });

  it("forces TIMEOUT after the grace period when the handler ignores the signal", async () => {
    const job = await manual({ timeoutSeconds: 1, params: { durationMs: 6000, steps: 2, ignoreCancel: true } });
    start();
    const queued = await runNowAs(job.id);
    const row = await waitForStatus(queued.id, ["FAILED", "SUCCEEDED"], 5000);
    expect(row).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT" });
    // 1 s timeout + 1 s grace, far less than the 6 s the handler sleeps.
    expect(row.durationMs).toBeGreaterThanOrEqual(1900);
    expect(row.durationMs).toBeLessThan(4000);
  });

  it("fails an execution whose handler does not exist, or whose params no longer validate (not retried)", async () => {
    const db = await getPrisma();
    const common = { jobName: "hand-made", trigger: "manual" as const, triggeredBy: "test", maxAttempts: 3, retryBackoffSeconds: 1, scheduledFor: new Date() };
    const unknown = await db.execution.create({ data: { ...common, type: "nope.missing", params: {} } });
    const invalid = await db.execution.create({
      data: { ...common, type: "demo.sleep", params: { durationMs: "soon" }, scheduledFor: new Date(Date.now() + 1) },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await workOnce(testEngineConfig())).claimed).toBe(2);
    const unknownRow = (await executionRow(unknown.id))!;
    expect(unknownRow).toMatchObject({ status: "FAILED", errorCode: "UNKNOWN_TYPE" });
    expect(unknownRow.errorMessage).toContain("nope.missing");
    expect(await executionRow(invalid.id)).toMatchObject({ status: "FAILED", errorCode: "INVALID_PARAMS" });
    // Neither a missing handler nor params that do not validate get better on a retry.
    expect(await db.execution.count({ where: { retryOfId: { in: [unknown.id, invalid.id] } } })).toBe(0);
  });
});

describe("claim", () => {
  // The claim's time is taken before its statement runs: a run that came due in between is not its to start.
  it("never starts a run before it is due by the claim's own time, with or without a lane", async () => {
    const free = await manual({ overlapPolicy: "allow" });
    const serial = await manual({ overlapPolicy: "queue" });
    const due = new Date(Date.now() - 1000);
    const ids = [(await insertExecutionOf(free, { scheduledFor: due })).id, (await insertExecutionOf(serial, { scheduledFor: due })).id];
    // Due by the database's clock, not yet at the claim's time.
    expect(await claimExecutions("claim-test", 10, new Date(due.getTime() - 1))).toEqual([]);
    const claimed = await claimExecutions("claim-test", 10, due);
    expect(claimed.map((row) => row.id).sort()).toEqual([...ids].sort());
    for (const row of claimed) expect(row.startedAt!.getTime()).toBeGreaterThanOrEqual(row.scheduledFor.getTime());
  });
});

describe("worker: concurrency and overlap", () => {
  it("never runs more executions at once than its concurrency", async () => {
    start({ concurrency: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await api("POST", "/api/enqueue", { token: who.operator, body: { type: "demo.sleep", params: { durationMs: 300, steps: 1 } } });
      expect(response.status).toBe(202);
      ids.push(response.body.execution.id);
    }
    await waitFor(async () => (await getPrisma()).execution.count({ where: { id: { in: ids }, status: "SUCCEEDED" } }).then((n) => n === ids.length), 8000, "all five runs to succeed");
    // The most runs going at once, from their recorded spans (sampling the table could miss a moment).
    const rows = await (await getPrisma()).execution.findMany({ where: { id: { in: ids } }, select: { startedAt: true, finishedAt: true } });
    const edges = rows.flatMap((row) => [[row.startedAt!.getTime(), 1] as const, [row.finishedAt!.getTime(), -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let going = 0;
    let most = 0;
    for (const [, step] of edges) most = Math.max(most, (going += step));
    expect(most).toBe(2);
  });

  // Another connection holds the job's row, so the first run's outcome waits; the embedded database has one connection.
  it.skipIf(inject("databaseKind") !== "postgres")("a run frees its slot when its handler returns: the next starts while its outcome waits to be written", async () => {
    const first = await manual({ params: { durationMs: 500, steps: 1 } });
    const second = await manual({ params: { durationMs: 0, steps: 1 } });
    const a = await runNowAs(first.id);
    const b = await runNowAs(second.id);
    await withOtherConnection(async (blocker) => {
      start({ concurrency: 1 });
      await waitForStatus(a.id, "RUNNING", 5000);
      // Locked while its handler sleeps: the completion, which locks the job, waits.
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", [first.id]);
      // The second ran and was recorded while the first's outcome still waited for the job's row.
      await waitForStatus(b.id, "SUCCEEDED", 5000);
      expect((await executionRow(a.id))!.status).toBe("RUNNING");
      await blocker.query("ROLLBACK");
      const [ranA, ranB] = [await waitForStatus(a.id, "SUCCEEDED", 5000), (await executionRow(b.id))!];
      // One handler at a time: the first ended (finishedAt is when its handler returned) before the second started.
      expect(ranA.finishedAt!.getTime()).toBeLessThanOrEqual(ranB.startedAt!.getTime());
    });
  });

  it("queue policy: a second run of the job starts only after the first finished", async () => {
    const job = await manual({ overlapPolicy: "queue", params: { durationMs: 400, steps: 1 } });
    start();
    const first = await runNowAs(job.id);
    const second = await runNowAs(job.id);
    const a = await waitForStatus(first.id, "SUCCEEDED");
    const b = await waitForStatus(second.id, "SUCCEEDED", 5000);
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
  });

  it("allow policy: two runs of the job run in parallel", async () => {
    const job = await manual({ overlapPolicy: "allow", params: { durationMs: 600, steps: 1 } });
    start();
    const first = await runNowAs(job.id);
    const second = await runNowAs(job.id);
    const a = await waitForStatus(first.id, "SUCCEEDED");
    const b = await waitForStatus(second.id, "SUCCEEDED");
    expect(b.startedAt!.getTime()).toBeLessThan(a.finishedAt!.getTime());
  });

  it("replace policy: a new fire stops the running one (CANCELLED), then runs itself", async () => {
    const job = await postJob(who.operator, {
      // Fires are set by hand below; a yearly schedule cannot add one of its own between them (every
      // minute did, when a minute began in the two seconds before the first tick, and replaced it).
      schedule: { type: "cron", expression: "0 0 1 1 *", timezone: "UTC" },
      overlapPolicy: "replace",
      params: { durationMs: 10_000, steps: 50 },
    });
    start();
    await setNextRunAt(job.id, new Date(Date.now() - 2000));
    await tick(new Date(), NO_LOOKAHEAD);
    const [first] = await executionsOf(job.id);
    await waitForStatus(first.id, "RUNNING");

    await setNextRunAt(job.id, new Date(Date.now() - 500));
    await tick(new Date(), NO_LOOKAHEAD);
    const second = (await executionsOf(job.id))[1];
    expect(second).toBeDefined();
    const stopped = await waitForStatus(first.id, ["CANCELLED", "SUCCEEDED", "FAILED"], 3000);
    expect(stopped).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED", cancelRequestedBy: "scheduler (replace)" });
    expect(stopped.errorMessage).not.toContain("forced");
    await waitForStatus(second.id, "RUNNING", 3000);
  });
});

describe("worker: heartbeats", () => {
  // Seen in full PostgreSQL runs (delivery.test.ts hung): a heartbeat waited for a run's row, the
  // next beats started beside it every interval, deadlocked with one another and took every
  // connection of the pool, so nothing in the process reached the database any more.
  it.skipIf(inject("databaseKind") !== "postgres")("a run whose row another transaction holds does not hold up the other runs' heartbeats, and beats never pile up", async () => {
    const [slowA, slowB] = [await manual({ params: { durationMs: 6000, steps: 1 } }), await manual({ params: { durationMs: 6000, steps: 1 } })];
    const [a, b] = [await runNowAs(slowA.id), await runNowAs(slowB.id)];
    const heartbeatOf = async (id: string) => (await executionRow(id))!.lastHeartbeatAt!.getTime();
    await withOtherConnection(async (blocker) => {
      start({ concurrency: 2, heartbeatMs: 100 });
      await waitForStatus(a.id, "RUNNING", 5000);
      await waitForStatus(b.id, "RUNNING", 5000);
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM executions WHERE id = $1 FOR UPDATE", [a.id]);
      const before = await heartbeatOf(b.id);
      await sleep(1500);
      const { rows } = await blocker.query(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%last_heartbeat_at%' AND pid <> pg_backend_pid()",
      );
      expect(rows[0].waiting, "heartbeats waiting for the held row").toBe(0);
      expect(await heartbeatOf(b.id), "the other run's heartbeat moved on").toBeGreaterThan(before);
      const held = await heartbeatOf(a.id);
      await blocker.query("ROLLBACK");
      await waitFor(async () => (await heartbeatOf(a.id)) > held, 2000, "the held run's heartbeat to resume");
    });
    await waitForStatus(a.id, "SUCCEEDED", 10_000);
    await waitForStatus(b.id, "SUCCEEDED", 10_000);
  });

  it.skipIf(inject("databaseKind") !== "postgres")("progress writes of a run whose row is held wait one at a time, and go on when it is let go", async () => {
    // 60 steps of 100 ms: a report every 100 ms, a write a second at most.
    const job = await manual({ params: { durationMs: 6000, steps: 60 } });
    const run = await runNowAs(job.id);
    await withOtherConnection(async (blocker) => {
      start({ concurrency: 1 });
      await waitForStatus(run.id, "RUNNING", 5000);
      await waitFor(async () => ((await executionRow(run.id))!.progressPercent ?? 0) > 0, 3000, "a first progress write");
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM executions WHERE id = $1 FOR UPDATE", [run.id]);
      await sleep(3500);
      const { rows } = await blocker.query(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%progress_percent%' AND pid <> pg_backend_pid()",
      );
      expect(rows[0].waiting, "progress writes waiting for the held row").toBe(1);
      await blocker.query("ROLLBACK");
      const held = (await executionRow(run.id))!.progressPercent!;
      await waitFor(async () => (await executionRow(run.id))!.progressPercent! > held, 3000, "progress reported meanwhile to be stored");
    });
    await waitForStatus(run.id, "SUCCEEDED", 10_000);
  });
});

describe("worker: stop", () => {
  it("requeues a run still going when the grace period ends; nothing is left RUNNING; another worker finishes it", async () => {
    const job = await manual({ params: { durationMs: 1500, steps: 3 } });
    const first = start();
    const queued = await runNowAs(job.id);
    await waitForStatus(queued.id, "RUNNING");
    await workers.stop(first, 200);

    expect(first.running()).toBe(0);
    const row = await executionRow(queued.id);
    expect(row).toMatchObject({ status: "QUEUED", workerId: null, startedAt: null, lastHeartbeatAt: null, finishedAt: null, progressPercent: null });

    const second = start();
    const done = await waitForStatus(queued.id, "SUCCEEDED", 5000);
    expect(done.workerId).toBe(second.workerId);
  });

  it("requeues a handler that ignores the signal too", async () => {
    const job = await manual({ params: { durationMs: 5000, steps: 5, ignoreCancel: true } });
    const worker = start();
    const queued = await runNowAs(job.id);
    await waitForStatus(queued.id, "RUNNING");
    const stopping = Date.now();
    await workers.stop(worker, 100);
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect((await executionRow(queued.id))!.status).toBe("QUEUED");
  });

  it("lets a run finish when it ends within the grace period", async () => {
    const job = await manual({ params: { durationMs: 400, steps: 2 } });
    const worker = start();
    const queued = await runNowAs(job.id);
    await waitForStatus(queued.id, "RUNNING");
    await workers.stop(worker, 5000);
    expect((await executionRow(queued.id))!.status).toBe("SUCCEEDED");
  });

  // Another connection locks the executions table, so the worker's claim waits in the database; the embedded database has one connection.
  it.skipIf(inject("databaseKind") !== "postgres")("waits for a claim in flight when it stops, and gives back what that claim took without starting it", async () => {
    const job = await manual({ params: { durationMs: 10, steps: 1 } });
    const queued = await runNowAs(job.id);
    await withOtherConnection(async (blocker) => {
      const worker = await workerWithClaimWaiting(blocker);
      let stopped = false;
      const stopping = workers.stop(worker, 0).then(() => (stopped = true));
      await sleep(300);
      expect(stopped, "stop() returned while its claim was still in flight").toBe(false);
      await blocker.query("COMMIT");
      await stopping;
      // The claim took the run; the stopped worker gave it back as it was: never started, no attempt spent.
      const row = await executionRow(queued.id);
      expect(row).toMatchObject({ status: "QUEUED", workerId: null, startedAt: null, attempt: 1 });
      await sleep(300);
      expect((await executionRow(queued.id))!.status).toBe("QUEUED");
    });
  });

  it.skipIf(inject("databaseKind") !== "postgres")("waits at most 5 s for a claim that does not answer; what it takes when it answers is given back", async () => {
    const job = await manual({ params: { durationMs: 10, steps: 1 } });
    const queued = await runNowAs(job.id);
    await withOtherConnection(async (blocker) => {
      const worker = await workerWithClaimWaiting(blocker);
      const asked = Date.now();
      await workers.stop(worker, 0);
      const waited = Date.now() - asked;
      expect(waited).toBeGreaterThanOrEqual(4900);
      expect(waited).toBeLessThan(15_000);
      await blocker.query("COMMIT");
      // The claim answers now, after the stop returned (it took the run), and its run goes back to the queue, unstarted.
      await waitFor(async () => {
        const { rows } = await blocker.query(
          "SELECT count(*)::int AS claims FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%tickwork_claim_window%' AND pid <> pg_backend_pid()",
        );
        return rows[0].claims === 0;
      }, 5000, "the claim to answer");
      await waitFor(async () => {
        const row = await executionRow(queued.id);
        return row!.status === "QUEUED" && row!.startedAt === null && row!.workerId === null;
      }, 5000, "the late claim's run to be given back");
    });
  });

  it("claims nothing after it stopped", async () => {
    const job = await manual({ params: { durationMs: 10, steps: 1 } });
    const worker = start();
    await workers.stop(worker, 0);
    const queued = await runNowAs(job.id);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await executionRow(queued.id))!.status).toBe("QUEUED");
  });
});
