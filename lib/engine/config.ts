// The engine's settings in one typed object, read from the environment once and passed down to
// tick, claim, run, complete and sweep; tests build their own with engineConfig({ ... }).
import os from "node:os";
import { env, isServerless } from "@/lib/env";

export type EngineRole = "all" | "web" | "scheduler" | "worker";

export interface EngineConfig {
  role: EngineRole;
  /** Names this instance in executions.worker_id and scheduler_instances. */
  workerId: string;
  /** Executions one worker runs at once. */
  concurrency: number;
  /** Fallback claim poll; notifications wake the worker at once. */
  pollMs: number;
  heartbeatMs: number;
  /** A RUNNING execution without a heartbeat for this long lost its worker. */
  stallMs: number;
  sweepMs: number;
  /** How long a cancelled or timed-out handler may keep running before it is abandoned (or its process group killed). */
  cancelGraceMs: number;
  /** Fire times missed by less than this still run on time; older ones follow the misfire policy. */
  misfireGraceMs: number;
  /** A clean stop lets running executions finish for this long, then requeues them. */
  shutdownGraceMs: number;
  /** Fires due this far ahead are queued now with their exact scheduledFor. */
  lookaheadMs: number;
  /** Jobs planned per tick transaction. */
  tickBatch: number;
  /** Completions written per transaction. */
  completeBatch: number;
  /** Completion transactions one worker has under way at once. */
  completeWriters: number;
  /** Backoff of a completion batch that failed: first wait and the longest wait. */
  completeRetryMs: { first: number; max: number };
  /** Set when the engine runs inside an HTTP tick: its time budget (see StopReason "budget"). */
  budgetMs?: number;
}

let fromEnv: EngineConfig | undefined;

function readEnv(): EngineConfig {
  return {
    // Serverless hosts run no loop; GET /api/cron/tick drives the engine there.
    role: isServerless() ? "web" : env.TICKWORK_ROLE,
    workerId: env.TICKWORK_WORKER_ID ?? `${os.hostname()}-${process.pid}`,
    concurrency: env.TICKWORK_WORKER_CONCURRENCY,
    pollMs: env.TICKWORK_POLL_MS,
    heartbeatMs: env.TICKWORK_HEARTBEAT_SECONDS * 1000,
    stallMs: env.TICKWORK_STALL_SECONDS * 1000,
    sweepMs: env.TICKWORK_SWEEP_SECONDS * 1000,
    cancelGraceMs: env.TICKWORK_CANCEL_GRACE_SECONDS * 1000,
    misfireGraceMs: env.TICKWORK_MISFIRE_GRACE_SECONDS * 1000,
    shutdownGraceMs: env.TICKWORK_SHUTDOWN_GRACE_SECONDS * 1000,
    lookaheadMs: 2000,
    tickBatch: 500,
    completeBatch: 500,
    completeWriters: 4,
    completeRetryMs: { first: 100, max: 5000 },
  };
}

/** The configuration from the environment (parsed once per process), with `overrides` on top. */
export function engineConfig(overrides: Partial<EngineConfig> = {}): EngineConfig {
  fromEnv ??= readEnv();
  return { ...fromEnv, ...overrides };
}
