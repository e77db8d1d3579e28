// Engine figures in one process: no-op drain rate (beside graphile-worker on the same database),
// fire lag with 10,000 jobs spread over a minute, and 10,000 jobs due in the same second.
import crypto from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getPrisma } from "@/lib/db";
import { engineConfig, type EngineConfig } from "@/lib/engine/config";
import { startWorker } from "@/lib/engine/worker";
import { startEngine } from "@/lib/engine/runtime";
import { nextFireTime } from "@/lib/jobs/schedule";
import { dbCounters, percentile, sleep, waitFor } from "./support";

const NOOP = { type: "demo.sleep", params: { durationMs: 0, steps: 1 } };

export async function truncate(): Promise<void> {
  const db = await getPrisma();
  await db.$executeRawUnsafe("TRUNCATE executions, audit_events, jobs CASCADE");
}

async function queueNoops(count: number): Promise<void> {
  const db = await getPrisma();
  const now = new Date();
  for (let offset = 0; offset < count; offset += 5000) {
    const size = Math.min(5000, count - offset);
    await db.execution.createMany({
      data: Array.from({ length: size }, () => ({ id: crypto.randomUUID(), jobName: "noop", type: NOOP.type, params: NOOP.params, trigger: "manual" as const, triggeredBy: "bench", scheduledFor: now })),
    });
  }
}

export interface DrainResult {
  rate: number;
  succeeded: number;
  seconds: number;
  commitsPerExecution: number;
  walBytesPerExecution: number;
}

export async function drain(url: string, count: number, concurrency: number): Promise<DrainResult> {
  await truncate();
  await queueNoops(count);
  const db = await getPrisma();
  const before = await dbCounters(url);
  const started = performance.now();
  const worker = startWorker(engineConfig({ workerId: "bench-drain", concurrency, pollMs: 100 }));
  await waitFor(async () => (await db.execution.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) === 0, 600_000, "the drain");
  const seconds = (performance.now() - started) / 1000;
  await worker.stop(1000);
  const after = await dbCounters(url);
  const succeeded = await db.execution.count({ where: { status: "SUCCEEDED" } });
  return {
    rate: succeeded / seconds,
    succeeded,
    seconds,
    commitsPerExecution: (after.commits - before.commits) / succeeded,
    walBytesPerExecution: (after.walBytes - before.walBytes) / succeeded,
  };
}

async function createCronJobs(count: number, expression: (i: number) => string, extra: object = {}): Promise<void> {
  const db = await getPrisma();
  const now = new Date();
  for (let offset = 0; offset < count; offset += 2000) {
    const size = Math.min(2000, count - offset);
    await db.job.createMany({
      data: Array.from({ length: size }, (_, k) => {
        const i = offset + k;
        const cronExpression = expression(i);
        return {
          name: `bench ${i}`,
          type: NOOP.type,
          params: NOOP.params,
          scheduleType: "cron" as const,
          cronExpression,
          timezone: "UTC",
          overlapPolicy: "allow" as const,
          createdBy: "bench",
          nextRunAt: nextFireTime({ type: "cron", expression: cronExpression, timezone: "UTC" }, now),
          ...extra,
        };
      }),
    });
  }
}

export async function fireLag(jobs: number): Promise<{ p50: number; p95: number; p99: number; max: number }> {
  await truncate();
  // Six-field crons, one per second of the minute: 10,000 jobs spread evenly over the minute.
  await createCronJobs(jobs, (i) => `${i % 60} * * * * *`);
  const db = await getPrisma();
  const engine = startEngine(engineConfig({ role: "all" }));
  // Measure one whole minute of a long-running instance: after the fires missed while the jobs were
  // created (run at once, about 15 s of backlog) have started, and a further ten seconds. Measuring
  // from ten seconds after the start put that backlog's tail in the minute whenever it began soon.
  await waitFor(
    async () => (await db.execution.count({ where: { status: "QUEUED", scheduledFor: { lt: new Date(Date.now() - 1000) } } })) === 0,
    120_000,
    "the backlog from the jobs' creation to start",
  );
  const since = new Date(Math.ceil((Date.now() + 10_000) / 60_000) * 60_000);
  const until = new Date(since.getTime() + 60_000);
  const measured = { scheduledFor: { gte: since, lt: until } };
  await waitFor(async () => (await db.execution.count({ where: { ...measured, status: "SUCCEEDED" } })) >= jobs, 240_000, "every job to fire once");
  await engine.stop();
  const rows = await db.execution.findMany({ where: { ...measured, startedAt: { not: null } }, select: { scheduledFor: true, startedAt: true } });
  const lags = rows.map((row) => row.startedAt!.getTime() - row.scheduledFor.getTime());
  return { p50: percentile(lags, 50), p95: percentile(lags, 95), p99: percentile(lags, 99), max: Math.max(...lags) };
}

export interface BurstResult {
  /** Seconds from the fire time to the last start. */
  spread: number;
  /** This process's event-loop delay while the burst ran (the engine runs here), in ms. */
  loopDelayP99: number;
  loopDelayMax: number;
}

/** `jobs` once-jobs all due at the same second; the engine with the bench's settings, `overrides` on top. */
export async function sameSecond(jobs: number, overrides: Partial<EngineConfig> = {}): Promise<BurstResult> {
  await truncate();
  const db = await getPrisma();
  const at = new Date(Math.ceil((Date.now() + 8000) / 1000) * 1000);
  for (let offset = 0; offset < jobs; offset += 2000) {
    const size = Math.min(2000, jobs - offset);
    await db.job.createMany({
      data: Array.from({ length: size }, (_, k) => ({
        name: `burst ${offset + k}`,
        type: NOOP.type,
        params: NOOP.params,
        scheduleType: "once" as const,
        runAt: at,
        createdBy: "bench",
        nextRunAt: at,
      })),
    });
  }
  const engine = startEngine(engineConfig({ role: "all", ...overrides }));
  // The loop delay from the fire time until every job started: what a console served by this
  // process would feel during the burst (the bench's own polling, a count every 50 ms, included).
  await sleep(Math.max(0, at.getTime() - Date.now()));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  await waitFor(async () => (await db.execution.count({ where: { startedAt: { not: null } } })) >= jobs, 120_000, "every burst job to start");
  loop.disable();
  await sleep(200);
  await engine.stop();
  const [{ last }] = await db.$queryRaw<{ last: Date }[]>`SELECT max(started_at) AS last FROM executions`;
  return { spread: (last.getTime() - at.getTime()) / 1000, loopDelayP99: loop.percentile(99) / 1e6, loopDelayMax: loop.max / 1e6 };
}
