// Shared steps of the engine tests: workers that are stopped after each test, run-now through the
// API, and executions inserted in a given state (as another instance or a crashed worker left them).
import crypto from "node:crypto";
import { afterAll, afterEach, expect } from "vitest";
import { getPrisma, type Prisma } from "@/lib/db";
import { closeBus } from "@/lib/events/bus";
import { engineConfig, type EngineConfig } from "@/lib/engine/config";
import { startWorker, type WorkerHandle } from "@/lib/engine/worker";
import { api } from "../../support/api";
import { postJob, settleActiveExecutions } from "../../support/fixtures";

/** Starts workers on demand; every one is stopped (and what it left queued or running is settled) after each test. */
export function useWorkers() {
  const workers: WorkerHandle[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop(0)));
    await settleActiveExecutions();
  });
  afterAll(async () => {
    await closeBus();
  });
  return {
    start(options: Partial<EngineConfig> = {}): WorkerHandle {
      const worker = startWorker(testEngineConfig(options));
      workers.push(worker);
      return worker;
    },
    /** Stops one worker now (it is not stopped again after the test). */
    async stop(worker: WorkerHandle, graceMs: number) {
      workers.splice(workers.indexOf(worker), 1);
      await worker.stop(graceMs);
    },
  };
}

/**
 * The engine's config for tests: a worker of its own, quick heartbeats and grace periods, and a
 * poll short enough that a missed wake-up costs little. Override per test.
 */
export function testEngineConfig(overrides: Partial<EngineConfig> = {}): EngineConfig {
  return engineConfig({
    workerId: `worker-${crypto.randomUUID().slice(0, 8)}`,
    concurrency: 4,
    pollMs: 100,
    heartbeatMs: 200,
    cancelGraceMs: 1000,
    completeRetryMs: { first: 20, max: 200 },
    ...overrides,
  });
}

/** A job that runs only when asked to. */
export const manualJob = (token: string, overrides: Parameters<typeof postJob>[1] = {}) =>
  postJob(token, { schedule: { type: "manual" }, ...overrides });

/** POST /api/jobs/:id/run, expecting 202; returns the queued execution. */
export async function runNow(token: string, jobId: string, body?: unknown) {
  const response = await api("POST", `/api/jobs/${jobId}/run`, { token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.execution as { id: string; scheduledFor: string; [key: string]: any };
}

/** GET /api/executions/:id as the given token; the body. */
export const readExecution = async (token: string, id: string) => (await api("GET", `/api/executions/${id}`, { token })).body;

/** Inserts an execution of a job directly, in any state. */
export async function insertExecutionOf(
  job: { id: string; name: string; type: string; version?: number } | null,
  data: Partial<Prisma.ExecutionUncheckedCreateInput> = {},
) {
  const db = await getPrisma();
  const now = new Date();
  return db.execution.create({
    data: {
      jobId: job?.id ?? null,
      jobVersion: job ? (job.version ?? 1) : null,
      jobName: job?.name ?? "ad-hoc",
      type: job?.type ?? "demo.sleep",
      trigger: "schedule",
      triggeredBy: "scheduler",
      params: { durationMs: 10, steps: 1 },
      scheduledFor: now,
      queuedAt: now,
      ...data,
    },
  });
}

/** A RUNNING execution whose worker last sent a heartbeat `heartbeatAgoMs` ago. */
export function insertRunning(
  job: { id: string; name: string; type: string } | null,
  heartbeatAgoMs: number,
  data: Partial<Prisma.ExecutionUncheckedCreateInput> = {},
) {
  const heartbeat = new Date(Date.now() - heartbeatAgoMs);
  const started = new Date(heartbeat.getTime() - 1000);
  return insertExecutionOf(job, {
    status: "RUNNING",
    workerId: "ghost-worker",
    scheduledFor: started,
    queuedAt: started,
    startedAt: started,
    lastHeartbeatAt: heartbeat,
    ...data,
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ticks that queue only what is due now (no lookahead), so a test decides exactly which fires exist. */
export const NO_LOOKAHEAD = testEngineConfig({ workerId: "test-scheduler", lookaheadMs: 0 });

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const EVERY_MINUTE = { type: "cron", expression: "* * * * *", timezone: "UTC" } as const;

/** A minute boundary 20 minutes ago: every instant used from it is in the real past, so claims can take what a tick queued. */
export const twentyMinutesAgo = () => new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE);
export const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);
