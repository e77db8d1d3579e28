// Several engine processes against one PostgreSQL database: no execution runs twice, a killed
// worker's execution is recovered, a clean stop leaves nothing RUNNING, and two schedulers (one
// killed midway) fire every due time exactly once. The embedded database serves one process by
// design (several instances need PostgreSQL), so these run on PostgreSQL only.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { sweepStalled } from "@/lib/engine/sweep";
import { resetDatabase, waitFor } from "../support/fixtures";
import { startTcpProxy, targetOf } from "../support/tcp-proxy";

const kind = inject("databaseKind");
const children: ChildProcess[] = [];

function startEngine(workerId: string, env: Record<string, string> = {}, scheduler = false): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/engine-process.ts", ...(scheduler ? ["--scheduler"] : [])], {
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      TICKWORK_WORKER_ID: workerId,
      TICKWORK_LOG_LEVEL: "error",
      TICKWORK_POLL_MS: "200",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`engine ${workerId} exited early with ${code}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));

async function queueAdHoc(count: number, type: string, params: (i: number) => object, extra: object = {}): Promise<string[]> {
  const db = await getPrisma();
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    jobName: type,
    type,
    trigger: "manual" as const,
    triggeredBy: "multi-process test",
    params: params(i),
    scheduledFor: now,
    ...extra,
  }));
  await db.execution.createMany({ data: rows });
  return rows.map((row) => row.id);
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe.skipIf(kind === "embedded")("engine processes on one PostgreSQL database", () => {
  let hits: Map<string, number>;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    await resetDatabase();
    hits = new Map();
    server = http.createServer((request, response) => {
      hits.set(request.url!, (hits.get(request.url!) ?? 0) + 1);
      response.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("two worker processes drain 2,000 executions, each run exactly once", { timeout: 120_000 }, async () => {
    const ids = await queueAdHoc(2000, "http.request", (i) => ({ url: `${base}/hit/${i}` }));
    await Promise.all([startEngine("worker-a", { TICKWORK_WORKER_CONCURRENCY: "16" }), startEngine("worker-b", { TICKWORK_WORKER_CONCURRENCY: "16" })]);
    const db = await getPrisma();
    await waitFor(async () => (await db.execution.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) === 2000, 90_000, "2,000 successes");
    const byWorker = await db.execution.groupBy({ by: ["workerId"], where: { id: { in: ids } }, _count: { _all: true } });
    expect(Object.fromEntries(byWorker.map((row) => [row.workerId, row._count._all]))).toEqual({
      "worker-a": expect.any(Number),
      "worker-b": expect.any(Number),
    });
    expect(byWorker.every((row) => row._count._all > 0)).toBe(true);
    expect(hits.size).toBe(2000);
    expect([...hits.values()].every((count) => count === 1)).toBe(true);
  });

  it("recovers the execution of a worker killed with SIGKILL mid-run", { timeout: 60_000 }, async () => {
    const [id] = await queueAdHoc(1, "demo.sleep", () => ({ durationMs: 60_000, steps: 60 }), { maxAttempts: 2, retryBackoffSeconds: 1 });
    const child = await startEngine("doomed", { TICKWORK_HEARTBEAT_SECONDS: "0.2" });
    const db = await getPrisma();
    await waitFor(async () => (await db.execution.findUnique({ where: { id } }))?.status === "RUNNING", 10_000, "RUNNING");
    child.kill("SIGKILL");
    await exited(child);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const swept = await sweepStalled(new Date(), 1000);
    expect(swept.map((c) => c.execution.id)).toEqual([id]);
    const failed = await db.execution.findUniqueOrThrow({ where: { id } });
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
    const retry = await db.execution.findFirstOrThrow({ where: { retryOfId: id } });
    expect(retry).toMatchObject({ status: "QUEUED", trigger: "retry", attempt: 2 });
  });

  it("SIGTERM lets a short run finish and requeues a long one; nothing stays RUNNING", { timeout: 60_000 }, async () => {
    const [short] = await queueAdHoc(1, "demo.sleep", () => ({ durationMs: 1500, steps: 3 }));
    const [long] = await queueAdHoc(1, "demo.sleep", () => ({ durationMs: 60_000, steps: 60 }));
    const child = await startEngine("stopping", { TICKWORK_SHUTDOWN_GRACE_SECONDS: "4" });
    const db = await getPrisma();
    await waitFor(async () => (await db.execution.count({ where: { id: { in: [short, long] }, status: "RUNNING" } })) === 2, 10_000, "both RUNNING");
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    const rows = await db.execution.findMany({ where: { id: { in: [short, long] } } });
    const status = Object.fromEntries(rows.map((row) => [row.id, row.status]));
    expect(status).toEqual({ [short]: "SUCCEEDED", [long]: "QUEUED" });
    expect(rows.find((row) => row.id === long)).toMatchObject({ workerId: null, startedAt: null });
  });

  it("two schedulers, one killed midway, fire every due second exactly once", { timeout: 90_000 }, async () => {
    const db = await getPrisma();
    await db.execution.deleteMany({});
    const { createJob } = await import("@/lib/jobs/create");
    const { SYSTEM_ACTOR } = await import("@/lib/auth/roles");
    const jobIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const job = await createJob({
        actor: SYSTEM_ACTOR,
        input: { name: `every second ${i}`, type: "demo.sleep", params: { durationMs: 0, steps: 1 }, schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" }, overlapPolicy: "allow" },
      });
      jobIds.push(job.id);
    }
    const started = Date.now();
    const a = await startEngine("sched-a", {}, true);
    await startEngine("sched-b", {}, true);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    a.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await db.job.updateMany({ where: { id: { in: jobIds } }, data: { enabled: false, nextRunAt: null } });
    const rows = await db.execution.findMany({ where: { jobId: { in: jobIds } }, select: { jobId: true, scheduledFor: true } });
    // Fires from just after the first start until the jobs were disabled, per job: no gaps, no repeats.
    const window = rows.filter((row) => row.scheduledFor.getTime() > started + 1500 && row.scheduledFor.getTime() < Date.now() - 1500);
    for (const jobId of jobIds) {
      const seconds = window.filter((row) => row.jobId === jobId).map((row) => row.scheduledFor.getTime()).sort((x, y) => x - y);
      expect(seconds.length).toBeGreaterThanOrEqual(4);
      expect(new Set(seconds).size).toBe(seconds.length);
      for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBe(1000);
    }
  });

  it(
    "replace-policy every-second jobs whose runs end near the tick boundary, two schedulers, 60 s: no deadlock, every fire recorded once",
    { timeout: 150_000 },
    async () => {
      const db = await getPrisma();
      await db.execution.deleteMany({});
      const { createJob } = await import("@/lib/jobs/create");
      const { SYSTEM_ACTOR } = await import("@/lib/auth/roles");
      const jobIds: string[] = [];
      for (let i = 0; i < 30; i++) {
        // 950..1040 ms: each run ends just before or just after the next fire, which replaces it.
        const job = await createJob({
          actor: SYSTEM_ACTOR,
          input: {
            name: `replace every second ${i}`,
            type: "demo.sleep",
            params: { durationMs: 950 + (i % 10) * 10, steps: 2 },
            schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" },
            overlapPolicy: "replace",
          },
        });
        jobIds.push(job.id);
      }
      const deadlocks = async () =>
        Number((await db.$queryRaw<{ deadlocks: bigint }[]>`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)[0].deadlocks);
      const before = await deadlocks();
      const started = Date.now();
      const fast = { TICKWORK_HEARTBEAT_SECONDS: "0.5", TICKWORK_CANCEL_GRACE_SECONDS: "0.2", TICKWORK_WORKER_CONCURRENCY: "40" };
      await Promise.all([startEngine("replace-a", fast, true), startEngine("replace-b", fast, true)]);
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      await db.job.updateMany({ where: { id: { in: jobIds } }, data: { enabled: false, nextRunAt: null } });
      const stopped = Date.now();
      for (const child of children.splice(0)) {
        child.kill("SIGTERM");
        await exited(child);
      }
      // The statistics reach pg_stat_database when a backend reports them (at most about a second later).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await deadlocks()).toBe(before);
      const rows = await db.execution.findMany({ where: { jobId: { in: jobIds } }, select: { jobId: true, scheduledFor: true, status: true } });
      // A clean stop leaves nothing RUNNING (fires queued ahead of their second stay QUEUED for the next start).
      expect(rows.filter((row) => row.status === "RUNNING")).toEqual([]);
      const window = rows.filter((row) => row.scheduledFor.getTime() > started + 3000 && row.scheduledFor.getTime() < stopped - 1500);
      for (const jobId of jobIds) {
        const seconds = window.filter((row) => row.jobId === jobId).map((row) => row.scheduledFor.getTime()).sort((x, y) => x - y);
        expect(seconds.length).toBeGreaterThanOrEqual(50);
        expect(new Set(seconds).size).toBe(seconds.length);
        for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBe(1000);
      }
    },
  );

  it(
    "connections to the database severed for 8 s: the process stays up, a run that finished meanwhile is recorded after (with its own end time), and every fire missed meanwhile runs",
    { timeout: 90_000 },
    async () => {
      const db = await getPrisma();
      await db.execution.deleteMany({});
      await db.job.updateMany({ data: { enabled: false, nextRunAt: null } });
      const { createJob } = await import("@/lib/jobs/create");
      const { SYSTEM_ACTOR } = await import("@/lib/auth/roles");
      const jobIds: string[] = [];
      for (let i = 0; i < 5; i++) {
        const job = await createJob({
          actor: SYSTEM_ACTOR,
          input: { name: `outage every second ${i}`, type: "demo.sleep", params: { durationMs: 0, steps: 1 }, schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" }, overlapPolicy: "allow" },
        });
        jobIds.push(job.id);
      }
      const proxy = await startTcpProxy(targetOf(inject("databaseUrl")));
      try {
        const child = await startEngine("outage", { DATABASE_URL: proxy.urlFor(inject("databaseUrl")), TICKWORK_HEARTBEAT_SECONDS: "0.5" }, true);
        const started = Date.now();
        const [long] = await queueAdHoc(1, "demo.sleep", () => ({ durationMs: 4000, steps: 4 }));
        await waitFor(async () => (await db.execution.findUnique({ where: { id: long } }))?.status === "RUNNING", 10_000, "the long run RUNNING");
        // Every job has run a fire inside the window before the outage starts, so the window spans it.
        await waitFor(
          async () =>
            (await db.execution.groupBy({ by: ["jobId"], where: { jobId: { in: jobIds }, scheduledFor: { gt: new Date(started + 1500) }, status: "SUCCEEDED" } })).length === jobIds.length,
          10_000,
          "a fire of every job inside the window",
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
        proxy.sever();
        const severedAt = Date.now();
        // The long run ends about 3 s into the outage; its outcome has nowhere to go until the end.
        await new Promise((resolve) => setTimeout(resolve, 8000));
        proxy.restore();
        expect(child.exitCode).toBeNull();
        expect((await db.execution.findUniqueOrThrow({ where: { id: long } })).status).toBe("RUNNING");
        const recorded = await waitFor(async () => {
          const row = await db.execution.findUniqueOrThrow({ where: { id: long } });
          return row.status === "SUCCEEDED" ? row : null;
        }, 15_000, "the long run's outcome after the outage");
        expect(recorded).toMatchObject({ workerId: "outage", attempt: 1, errorCode: null });
        // Stamped with when its handler returned, about 3 s into the outage, not when it was written.
        expect(recorded.finishedAt!.getTime()).toBeGreaterThan(severedAt);
        expect(recorded.finishedAt!.getTime()).toBeLessThan(severedAt + 8000);
        // Every job has run a fire after the outage too, so the window (which ends 3 s before the stop) spans it.
        await waitFor(
          async () =>
            (await db.execution.groupBy({ by: ["jobId"], where: { jobId: { in: jobIds }, scheduledFor: { gt: new Date(severedAt + 12_000) }, status: "SUCCEEDED" } })).length === jobIds.length,
          20_000,
          "a fire of every job after the outage",
        );
        await waitFor(async () => (await db.execution.count({ where: { jobId: { in: jobIds }, scheduledFor: { lte: new Date(Date.now() - 2000) }, status: { in: ["QUEUED", "RUNNING"] } } })) === 0, 20_000, "the missed fires to run");
        await db.job.updateMany({ where: { id: { in: jobIds } }, data: { enabled: false, nextRunAt: null } });
        const stopped = Date.now();
        expect(child.exitCode).toBeNull();
        const rows = await db.execution.findMany({ where: { jobId: { in: jobIds } }, select: { jobId: true, scheduledFor: true, status: true } });
        const window = rows.filter((row) => row.scheduledFor.getTime() > started + 1500 && row.scheduledFor.getTime() < stopped - 3000);
        for (const jobId of jobIds) {
          const seconds = window.filter((row) => row.jobId === jobId).map((row) => row.scheduledFor.getTime()).sort((x, y) => x - y);
          // The window spans the whole outage: every second of it was run once, late.
          expect(seconds[0]).toBeLessThan(severedAt);
          expect(seconds.at(-1)).toBeGreaterThan(severedAt + 8000);
          expect(new Set(seconds).size).toBe(seconds.length);
          for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBe(1000);
        }
        expect(window.every((row) => row.status === "SUCCEEDED")).toBe(true);
      } finally {
        await proxy.close();
      }
    },
  );

  it(
    "a claim whose answer is lost after it committed: the worker takes its runs back and runs each once, none ends STALLED",
    { timeout: 60_000 },
    async () => {
      const db = await getPrisma();
      const proxy = await startTcpProxy(targetOf(inject("databaseUrl")));
      try {
        await startEngine("answer-lost", { DATABASE_URL: proxy.urlFor(inject("databaseUrl")), TICKWORK_HEARTBEAT_SECONDS: "0.2" });
        // The answer of the claim that takes these runs (their params name the URL) is lost.
        const cut = proxy.loseAnswerTo("tickwork_claim_window", "/lost-answer/");
        const ids = await queueAdHoc(3, "http.request", (i) => ({ url: `${base}/lost-answer/${i}` }));
        await cut;
        const stuck = await db.execution.findMany({ where: { id: { in: ids } }, select: { status: true, workerId: true } });
        // The claim committed: the rows say RUNNING on this worker, which never heard of them.
        expect(stuck.filter((row) => row.status === "RUNNING" && row.workerId === "answer-lost").length).toBeGreaterThan(0);
        // A sweep with a stall timeout well past the worker's heartbeat, as often as the waiting checks.
        const rows = await waitFor(async () => {
          await sweepStalled(new Date(), 2000);
          const rows = await db.execution.findMany({ where: { id: { in: ids } }, select: { status: true, errorCode: true, attempt: true } });
          return rows.every((row) => row.status !== "QUEUED" && row.status !== "RUNNING") ? rows : null;
        }, 20_000, "the runs to finish");
        expect(rows).toEqual(ids.map(() => ({ status: "SUCCEEDED", errorCode: null, attempt: 1 })));
        expect(await db.execution.count({ where: { retryOfId: { in: ids } } })).toBe(0);
        for (let i = 0; i < ids.length; i++) expect(hits.get(`/lost-answer/${i}`)).toBe(1);
      } finally {
        await proxy.close();
      }
    },
  );

  it(
    "chains under two engine processes while chained jobs are created, listed and deleted: every finished run chains exactly once, no deadlock",
    { timeout: 300_000 },
    async () => {
      const db = await getPrisma();
      await db.execution.deleteMany({});
      await db.job.updateMany({ data: { enabled: false, nextRunAt: null } });
      const { createJob } = await import("@/lib/jobs/create");
      const { updateJob } = await import("@/lib/jobs/update");
      const { deleteJob } = await import("@/lib/jobs/delete");
      const { SYSTEM_ACTOR } = await import("@/lib/auth/roles");
      const quick = { type: "demo.sleep", params: { durationMs: 0, steps: 1 }, schedule: { type: "manual" as const } };
      const onSuccess = await createJob({ actor: SYSTEM_ACTOR, input: { name: "chained on success", ...quick } });
      const onFailure = await createJob({ actor: SYSTEM_ACTOR, input: { name: "chained on failure", ...quick } });
      const parents: string[] = [];
      for (let i = 0; i < 10; i++) {
        const job = await createJob({
          actor: SYSTEM_ACTOR,
          input: {
            name: `chain parent ${i}`,
            type: "demo.sleep",
            // Every other parent fails (one attempt), so both lists are exercised.
            params: { durationMs: 20 * (i % 3), steps: 1, fail: i % 2 === 1 },
            schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" },
            overlapPolicy: "allow",
            onSuccess: [onSuccess.id],
            onFailure: [onFailure.id],
          },
        });
        parents.push(job.id);
      }
      const deadlocks = async () =>
        Number((await db.$queryRaw<{ deadlocks: bigint }[]>`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)[0].deadlocks);
      const before = await deadlocks();
      const fast = { TICKWORK_WORKER_CONCURRENCY: "40" };
      await Promise.all([startEngine("chain-a", fast, true), startEngine("chain-b", fast, true)]);
      // Meanwhile a job is added to half the parents' lists and deleted (which takes it out of them),
      // round after round, while the parents' runs finish and chain.
      const finishedParents = (status: "SUCCEEDED" | "FAILED") => db.execution.count({ where: { jobId: { in: parents }, status } });
      let churned = 0;
      while (churned < 8 || (await finishedParents("SUCCEEDED")) < 20 || (await finishedParents("FAILED")) < 20) {
        const extra = await createJob({ actor: SYSTEM_ACTOR, input: { name: `chain extra ${churned}`, ...quick } });
        for (const id of parents.slice(0, 5)) {
          const job = await db.job.findUniqueOrThrow({ where: { id } });
          await updateJob({ actor: SYSTEM_ACTOR, input: { id, mode: "patch", changes: { onSuccess: [onSuccess.id, extra.id], onFailure: [onFailure.id, extra.id] }, expectedVersion: job.version } });
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        await deleteJob({ actor: SYSTEM_ACTOR, input: { id: extra.id } });
        churned += 1;
      }
      await db.job.updateMany({ where: { id: { in: parents } }, data: { enabled: false, nextRunAt: null } });
      for (const child of children.splice(0)) {
        child.kill("SIGTERM");
        await exited(child);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await deadlocks()).toBe(before);

      const runs = await db.execution.findMany({ where: { jobId: { in: parents } }, select: { id: true, status: true } });
      const chained = await db.execution.findMany({ where: { trigger: "chain" }, select: { jobId: true, parentExecutionId: true } });
      const count = (parent: string, jobId: string) => chained.filter((run) => run.parentExecutionId === parent && run.jobId === jobId).length;
      const succeeded = runs.filter((run) => run.status === "SUCCEEDED");
      const failed = runs.filter((run) => run.status === "FAILED");
      expect(succeeded.length).toBeGreaterThanOrEqual(20);
      expect(failed.length).toBeGreaterThanOrEqual(20);
      for (const run of succeeded) expect([count(run.id, onSuccess.id), count(run.id, onFailure.id)]).toEqual([1, 0]);
      for (const run of failed) expect([count(run.id, onSuccess.id), count(run.id, onFailure.id)]).toEqual([0, 1]);
      // Unfinished runs chained nothing; no run chained any job twice.
      const finished = new Set([...succeeded, ...failed].map((run) => run.id));
      expect(chained.filter((run) => !finished.has(run.parentExecutionId!))).toEqual([]);
      const pairs = chained.map((run) => `${run.parentExecutionId}>${run.jobId}`);
      expect(new Set(pairs).size).toBe(pairs.length);
    },
  );
});
