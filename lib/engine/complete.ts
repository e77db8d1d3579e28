// Ending running executions: the final status, a retry when attempts remain, and the job's
// bookkeeping (lastRunAt, lastStatus, consecutiveFailures, pause after failures), and the runs of
// the jobs it chains to (onSuccess / onFailure). Completions are applied in batches, one
// transaction and a handful of statements per batch, so a worker finishing thousands of short runs
// a second does not pay a commit for each. Locks follow the engine's one order: the jobs first (in
// id order), then the executions; before them, the chain lists' lock in shared mode.
import crypto from "node:crypto";
import { executionColumns, getPrisma, JOB_COLUMNS, type Execution, type Job, type Prisma, type Tx } from "@/lib/db";
import { publish } from "@/lib/events/bus";
import type { BusEvent } from "@/lib/events/types";
import { summarize } from "@/lib/executions/summary";
import { observeCompletions } from "@/lib/metrics";
import { finishNotices } from "@/lib/notifications/events";
import { enqueueNotifications } from "@/lib/notifications/outbox";
import { CHAIN_LISTS_SHARED } from "@/lib/jobs/chains";
import { storableResult, storableText } from "@/lib/storable";

export const MAX_ERROR_MESSAGE_BYTES = 10_000;
export const MAX_PROGRESS_MESSAGE_BYTES = 500;
const RETRYABLE = new Set(["HANDLER_ERROR", "TIMEOUT", "STALLED", "EXIT_CODE"]);
/** The finished rows as Executions, straight from the UPDATE (reading them back cost as much again). */
const UPDATED_COLUMNS = executionColumns("e");

export type Outcome =
  | { status: "SUCCEEDED"; result: unknown }
  | { status: "FAILED"; code: string; message: string }
  | { status: "CANCELLED"; message: string };

export interface Completion {
  execution: Execution;
  retry: Execution | null;
  /** Runs of the jobs this one chains to, created in the same transaction (trigger chain). */
  chained: Execution[];
  /** The job after its bookkeeping, for the job.changed event. */
  job: { id: string; version: number } | null;
}

export interface CompletionRequest {
  id: string;
  outcome: Outcome;
  /** Only complete it if this worker still owns it (a sweeper or a forced cancel may have ended it). */
  workerId?: string;
  /** The last progress the handler reported; heartbeats store it only now and then. */
  progress?: { percent: number; message: string | null } | null;
  /** When the handler returned (its finishedAt and duration); by default, when the outcome is written. */
  finishedAt?: Date;
}

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base… */
export function retryDelayMs(backoffSeconds: number, attempt: number): number {
  const base = backoffSeconds * 1000 * 2 ** (attempt - 1);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export async function completeExecutions(requests: CompletionRequest[], now = new Date()): Promise<Completion[]> {
  if (requests.length === 0) return [];
  const db = await getPrisma();
  const completions = await db.$transaction((tx) => completeInTx(tx, requests, now), { timeout: 60_000 });
  observeCompletions(requests.length, completions);
  await publish(...completions.flatMap(completionEvents));
  return completions;
}

export function completionEvents(completion: Completion): BusEvent[] {
  const events: BusEvent[] = [{ name: "execution.finished", data: summarize(completion.execution) }];
  if (completion.retry) events.push({ name: "execution.queued", data: summarize(completion.retry) });
  for (const chained of completion.chained) events.push({ name: "execution.queued", data: summarize(chained) });
  if (completion.job) events.push({ name: "job.changed", data: completion.job });
  return events;
}

function row(request: CompletionRequest, now: Date) {
  const { outcome } = request;
  return {
    id: request.id,
    worker_id: request.workerId ?? null,
    status: outcome.status,
    finished_at: (request.finishedAt ?? now).toISOString(),
    result: outcome.status === "SUCCEEDED" ? storableResult(outcome.result) : null,
    error_code: outcome.status === "SUCCEEDED" ? null : outcome.status === "CANCELLED" ? "CANCELLED" : storableText(outcome.code, 100),
    error_message: outcome.status === "SUCCEEDED" ? null : storableText(outcome.message, MAX_ERROR_MESSAGE_BYTES),
    progress_percent: request.progress?.percent ?? null,
    progress_message: request.progress?.message == null ? null : storableText(request.progress.message, MAX_PROGRESS_MESSAGE_BYTES),
  };
}

export async function completeInTx(tx: Tx, requests: CompletionRequest[], now = new Date()): Promise<Completion[]> {
  const ids = requests.map((request) => request.id);
  // Chain lists stay as they are until this commits (saves that add to them and deletes take this
  // lock exclusively), so the runs chained below follow the lists as read, and no chained job is
  // deleted meanwhile. Taken before any row lock, like the exclusive holders do. Then the jobs
  // before the executions, as everywhere in the engine (the tick locks jobs, then cancels their
  // runs); read as they are locked, and nobody changes them until this commits.
  const lockedJobs = await tx.$queryRaw<Job[]>`
    SELECT ${JOB_COLUMNS} FROM jobs
    WHERE id IN (SELECT job_id FROM executions WHERE id = ANY(${ids}::uuid[])) AND ${CHAIN_LISTS_SHARED}
    ORDER BY id FOR NO KEY UPDATE`;
  const rows = JSON.stringify(requests.map((request) => row(request, now)));
  const updated = await tx.$queryRaw<Execution[]>`
    UPDATE executions AS e SET
      status = v.status::"ExecutionStatus",
      finished_at = v.finished_at,
      duration_ms = GREATEST(0, floor(extract(epoch FROM (v.finished_at - COALESCE(e.started_at, v.finished_at))) * 1000))::int,
      result = v.result,
      error_code = v.error_code,
      error_message = v.error_message,
      progress_percent = COALESCE(v.progress_percent, e.progress_percent),
      progress_message = CASE WHEN v.progress_percent IS NULL THEN e.progress_message ELSE v.progress_message END
    FROM jsonb_to_recordset(${rows}::jsonb) AS v(id uuid, worker_id text, status text, finished_at timestamptz, result jsonb,
      error_code text, error_message text, progress_percent int, progress_message text)
    WHERE e.id = v.id AND e.status = 'RUNNING' AND (v.worker_id IS NULL OR e.worker_id = v.worker_id)
    RETURNING ${UPDATED_COLUMNS}`;
  if (updated.length === 0) return [];
  // Oldest start first, so a job's lastRunAt and lastStatus end on its newest run.
  const executions = updated.sort((a, b) => startedTime(a) - startedTime(b));
  const retries = await scheduleRetries(tx, executions.filter(shouldRetry), now);
  const retried = new Set(retries.map((retry) => retry.retryOfId!));
  // The jobs of the runs this batch finished (not of a run another instance ended meanwhile).
  const jobIds = new Set(executions.map((execution) => execution.jobId));
  const finishingJobs = lockedJobs.filter((job) => jobIds.has(job.id));
  const jobs = await recordOnJobs(tx, finishingJobs, executions, retried);
  const chained = await queueChains(tx, finishingJobs, executions, retried, now);
  return executions.map((execution) => ({
    execution,
    retry: retries.find((retry) => retry.retryOfId === execution.id) ?? null,
    chained: chained.filter((run) => run.parentExecutionId === execution.id),
    job: execution.jobId ? (jobs.get(execution.jobId) ?? null) : null,
  }));
}

const startedTime = (execution: Execution) => execution.startedAt?.getTime() ?? Infinity;

/** A run that ends SUCCEEDED, or FAILED with no retry coming, triggers the jobs its job lists. */
function chainTargets(job: Job, execution: Execution, retried: Set<string>): string[] {
  if (execution.status === "SUCCEEDED") return job.onSuccess;
  if (execution.status === "FAILED" && !retried.has(execution.id)) return job.onFailure;
  return [];
}

/**
 * One run (trigger chain, parentExecutionId) for each job a finished run chains to, in the
 * transaction that finishes it: the finish is a conditional update, so the runs are created
 * exactly once however many instances complete or sweep. Deleted targets are skipped (a delete
 * also removes the job from every list).
 */
async function queueChains(tx: Tx, jobs: Job[], executions: Execution[], retried: Set<string>, now: Date): Promise<Execution[]> {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const links = executions.flatMap((execution) => {
    const job = execution.jobId ? byId.get(execution.jobId) : undefined;
    return job ? chainTargets(job, execution, retried).map((targetId) => ({ parent: execution, targetId })) : [];
  });
  if (links.length === 0) return [];
  const targetIds = [...new Set(links.map((link) => link.targetId))];
  // Read, not locked: the insert's foreign key check (KEY SHARE) waits out a concurrent edit of a
  // target, and edits of a job lock only that job, so they never wait for this transaction.
  const targets = new Map((await tx.job.findMany({ where: { id: { in: targetIds }, deletedAt: null } })).map((job) => [job.id, job]));
  const rows = links.flatMap(({ parent, targetId }) => {
    const target = targets.get(targetId);
    if (!target) return [];
    return [{
      id: crypto.randomUUID(),
      jobId: target.id,
      jobVersion: target.version,
      jobName: target.name,
      type: target.type,
      trigger: "chain" as const,
      triggeredBy: parent.triggeredBy,
      parentExecutionId: parent.id,
      maxAttempts: target.maxAttempts,
      retryBackoffSeconds: target.retryBackoffSeconds,
      timeoutSeconds: target.timeoutSeconds,
      params: target.params as Prisma.InputJsonValue,
      scheduledFor: now,
      queuedAt: now,
    }];
  });
  // Chained runs hold no (job, instant) slot (see the fire_slots migrations): two parents that
  // chain one job in a batch both queue it at the same instant.
  return rows.length === 0 ? [] : tx.execution.createManyAndReturn({ data: rows });
}

const shouldRetry = (execution: Execution) =>
  execution.status === "FAILED" && RETRYABLE.has(execution.errorCode ?? "") && execution.attempt < execution.maxAttempts;

async function scheduleRetries(tx: Tx, failed: Execution[], now: Date): Promise<Execution[]> {
  if (failed.length === 0) return [];
  return tx.execution.createManyAndReturn({
    data: failed.map((execution) => ({
      id: crypto.randomUUID(),
      jobId: execution.jobId,
      jobVersion: execution.jobVersion,
      jobName: execution.jobName,
      type: execution.type,
      trigger: "retry" as const,
      triggeredBy: execution.triggeredBy,
      attempt: execution.attempt + 1,
      maxAttempts: execution.maxAttempts,
      retryBackoffSeconds: execution.retryBackoffSeconds,
      timeoutSeconds: execution.timeoutSeconds,
      retryOfId: execution.id,
      params: execution.params as Prisma.InputJsonValue,
      // The backoff counts from the failed attempt's end (its outcome may be written a little later).
      scheduledFor: new Date((execution.finishedAt ?? now).getTime() + retryDelayMs(execution.retryBackoffSeconds, execution.attempt)),
      queuedAt: now,
    })),
  });
}

/** lastRunAt/lastStatus follow the newest run; failures count once retries are used up. */
async function recordOnJobs(tx: Tx, jobs: Job[], executions: Execution[], retried: Set<string>): Promise<Map<string, { id: string; version: number }>> {
  if (jobs.length === 0) return new Map();
  // The jobs were locked (in id order) before the executions, in completeInTx.
  const rows = jobs.map((job) => ({ id: job.id, ...bookkeeping(job, executions.filter((execution) => execution.jobId === job.id), retried) }));
  await tx.$executeRaw`
    UPDATE jobs AS j SET
      last_run_at = v.last_run_at,
      last_status = v.last_status::"ExecutionStatus",
      consecutive_failures = v.consecutive_failures,
      health = CASE WHEN v.pause THEN 'failed'::"JobHealth" ELSE j.health END,
      next_run_at = CASE WHEN v.pause THEN NULL ELSE j.next_run_at END
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS v(id uuid, last_run_at timestamptz, last_status text, consecutive_failures int, pause boolean)
    WHERE j.id = v.id`;
  await enqueueNotifications(tx, finishNotices(jobs, executions, retried, rows));
  return new Map(jobs.map((job) => [job.id, { id: job.id, version: job.version }]));
}

function bookkeeping(job: Job, finished: Execution[], retried: Set<string>) {
  let { lastRunAt, lastStatus, consecutiveFailures } = job;
  for (const execution of finished) {
    const startedAt = execution.startedAt ?? execution.finishedAt!;
    if (!lastRunAt || startedAt >= lastRunAt) {
      lastRunAt = startedAt;
      lastStatus = execution.status;
    }
    if (execution.status === "SUCCEEDED") consecutiveFailures = 0;
    if (execution.status === "FAILED" && !retried.has(execution.id)) consecutiveFailures += 1;
  }
  const pause = job.pauseAfterFailures > 0 && consecutiveFailures >= job.pauseAfterFailures && job.health === "active";
  return { last_run_at: lastRunAt?.toISOString() ?? null, last_status: lastStatus, consecutive_failures: consecutiveFailures, pause };
}
