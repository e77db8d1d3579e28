// Ending a running execution: the final status, a retry when attempts remain, and the job's
// bookkeeping (lastRunAt, lastStatus, consecutiveFailures, pause after failures), in one transaction.
import crypto from "node:crypto";
import { getPrisma, type Execution, type Prisma, type Tx } from "@/lib/db";
import { publish } from "@/lib/events/bus";
import type { BusEvent } from "@/lib/events/types";
import { summarize } from "./summary";

export const MAX_RESULT_BYTES = 64 * 1024;
const RETRYABLE = new Set(["HANDLER_ERROR", "TIMEOUT", "STALLED"]);

export type Outcome =
  | { status: "SUCCEEDED"; result: unknown }
  | { status: "FAILED"; code: string; message: string }
  | { status: "CANCELLED"; message: string };

export interface Completion {
  execution: Execution;
  retry: Execution | null;
}

/** Keeps results under 64 KiB as JSON; larger ones become a marked, truncated preview. */
export function capResult(result: unknown): Prisma.InputJsonValue | undefined {
  if (result === undefined) return undefined;
  let text: string;
  try {
    text = JSON.stringify(result) ?? "null";
  } catch {
    return { truncated: true, reason: "The handler returned a value that is not JSON", preview: String(result).slice(0, 1000) };
  }
  if (Buffer.byteLength(text) <= MAX_RESULT_BYTES) return JSON.parse(text) as Prisma.InputJsonValue;
  return { truncated: true, originalBytes: Buffer.byteLength(text), preview: text.slice(0, MAX_RESULT_BYTES - 200) };
}

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base… */
export function retryDelayMs(backoffSeconds: number, attempt: number): number {
  const base = backoffSeconds * 1000 * 2 ** (attempt - 1);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

interface CompleteOptions {
  /** Only complete it if this worker still owns it (a sweeper or a forced cancel may have ended it). */
  workerId?: string;
  now?: Date;
  /** The last progress the handler reported; heartbeats store it only now and then. */
  progress?: { percent: number; message: string | null } | null;
}

export async function completeExecution(id: string, outcome: Outcome, options: CompleteOptions = {}): Promise<Completion | null> {
  const db = await getPrisma();
  const completion = await db.$transaction((tx) => completeInTx(tx, id, outcome, options));
  if (completion) await publish(...completionEvents(completion));
  return completion;
}

export function completionEvents(completion: Completion): BusEvent[] {
  const events: BusEvent[] = [{ name: "execution.finished", data: summarize(completion.execution) }];
  if (completion.retry) events.push({ name: "execution.queued", data: summarize(completion.retry) });
  if (completion.execution.jobId) events.push({ name: "job.changed", data: { id: completion.execution.jobId, version: 0 } });
  return events;
}

export async function completeInTx(tx: Tx, id: string, outcome: Outcome, options: CompleteOptions = {}): Promise<Completion | null> {
  const now = options.now ?? new Date();
  const owned = { id, status: "RUNNING" as const, ...(options.workerId ? { workerId: options.workerId } : {}) };
  const running = await tx.execution.findFirst({ where: owned });
  if (!running) return null;
  const [execution] = await tx.execution.updateManyAndReturn({
    where: owned,
    data: {
      status: outcome.status,
      finishedAt: now,
      durationMs: running.startedAt ? now.getTime() - running.startedAt.getTime() : null,
      result: outcome.status === "SUCCEEDED" ? capResult(outcome.result) : undefined,
      errorCode: outcome.status === "SUCCEEDED" ? null : outcome.status === "CANCELLED" ? "CANCELLED" : outcome.code,
      errorMessage: outcome.status === "SUCCEEDED" ? null : outcome.message.slice(0, 10_000),
      ...(options.progress ? { progressPercent: options.progress.percent, progressMessage: options.progress.message } : {}),
    },
  });
  if (!execution) return null;
  const retry = shouldRetry(execution) ? await scheduleRetry(tx, execution, now) : null;
  if (execution.jobId) await recordOnJob(tx, execution, retry !== null);
  return { execution, retry };
}

const shouldRetry = (execution: Execution) =>
  execution.status === "FAILED" && RETRYABLE.has(execution.errorCode ?? "") && execution.attempt < execution.maxAttempts;

async function scheduleRetry(tx: Tx, failed: Execution, now: Date): Promise<Execution> {
  const runAt = new Date(now.getTime() + retryDelayMs(failed.retryBackoffSeconds, failed.attempt));
  return tx.execution.create({
    data: {
      id: crypto.randomUUID(),
      jobId: failed.jobId,
      jobVersion: failed.jobVersion,
      jobName: failed.jobName,
      type: failed.type,
      trigger: "retry",
      triggeredBy: failed.triggeredBy,
      attempt: failed.attempt + 1,
      maxAttempts: failed.maxAttempts,
      retryBackoffSeconds: failed.retryBackoffSeconds,
      timeoutSeconds: failed.timeoutSeconds,
      retryOfId: failed.id,
      params: failed.params as Prisma.InputJsonValue,
      scheduledFor: runAt,
      queuedAt: now,
    },
  });
}

/** lastRunAt/lastStatus follow the newest run; failures count once retries are used up. */
async function recordOnJob(tx: Tx, execution: Execution, retrying: boolean): Promise<void> {
  const job = await tx.job.findUnique({ where: { id: execution.jobId! } });
  if (!job) return;
  const startedAt = execution.startedAt ?? execution.finishedAt!;
  const newest = !job.lastRunAt || startedAt >= job.lastRunAt;
  let consecutiveFailures = job.consecutiveFailures;
  if (execution.status === "SUCCEEDED") consecutiveFailures = 0;
  if (execution.status === "FAILED" && !retrying) consecutiveFailures += 1;
  const pause = job.pauseAfterFailures > 0 && consecutiveFailures >= job.pauseAfterFailures && job.health === "active";
  await tx.job.update({
    where: { id: job.id },
    data: {
      ...(newest ? { lastRunAt: startedAt, lastStatus: execution.status } : {}),
      consecutiveFailures,
      ...(pause ? { health: "failed", nextRunAt: null } : {}),
    },
  });
}
