// One scheduler tick: materialise the executions of every due job, exactly once across instances.
// Due jobs are locked FOR NO KEY UPDATE SKIP LOCKED (jobs first, then their executions, the
// engine's one lock order), so two schedulers never take the same job, and (job_id, scheduled_for)
// is unique, so even a repeated tick cannot insert a fire twice.
import crypto from "node:crypto";
import { executionColumns, getPrisma, JOB_COLUMNS, type Execution, type Job, type Tx } from "@/lib/db";
import { publish } from "@/lib/events/bus";
import { summarize } from "@/lib/executions/summary";
import { scheduleOf } from "@/lib/jobs/serialize";
import { countFinished, startTickTimer } from "@/lib/metrics";
import { skipNotices } from "@/lib/notifications/events";
import { enqueueNotifications } from "@/lib/notifications/outbox";
import { engineConfig, type EngineConfig } from "./config";
import { planFires, type FirePlan, type Hold } from "./plan";

/**
 * What the tick reads of the config. Fires due within `lookaheadMs` are queued now with their exact
 * scheduledFor, and the worker wakes for each at that instant: fire lag does not depend on where
 * the tick falls in a second, nor on how long a busy tick takes.
 */
type TickConfig = Pick<EngineConfig, "workerId" | "role" | "lookaheadMs" | "tickBatch" | "misfireGraceMs">;

const INSERTED_COLUMNS = executionColumns();

export interface TickResult {
  jobs: number;
  queued: number;
  skipped: number;
}

/** Materialises every fire due by `now` plus the lookahead; records the tick as this instance's. */
export async function tick(now = new Date(), config: TickConfig = engineConfig()): Promise<TickResult> {
  const tickEnded = startTickTimer();
  const total: TickResult = { jobs: 0, queued: 0, skipped: 0 };
  for (;;) {
    const batch = await tickBatch(now, new Date(now.getTime() + config.lookaheadMs), config);
    total.jobs += batch.jobs;
    total.queued += batch.queued;
    total.skipped += batch.skipped;
    if (batch.jobs < config.tickBatch) break;
  }
  await recordTick(config, now);
  tickEnded();
  return total;
}

async function tickBatch(now: Date, horizon: Date, config: TickConfig): Promise<TickResult> {
  const db = await getPrisma();
  const { created, replaced, jobs } = await db.$transaction(async (tx) => {
    const due = await lockDueJobs(tx, horizon, config.tickBatch);
    if (due.length === 0) return { created: [], replaced: [], jobs: 0 };
    const active = await activeCounts(tx, due.map((job) => job.id));
    const maintenance = await maintenanceHold(tx);
    const plans = due.map((job) => ({ job, plan: planFor(job, active.get(job.id) ?? 0, holdsOf(job, maintenance), horizon, config.misfireGraceMs) }));
    const rows = plans.flatMap(({ job, plan }) => executionRows(job, plan, now));
    const created = await insertFires(tx, rows);
    await enqueueNotifications(tx, skipNotices(due, created, now));
    const replaced = await cancelReplaced(tx, plans);
    await advance(tx, plans);
    return { created, replaced, jobs: due.length };
  // Generous: after a long outage, misfire planning of a full batch can take a while.
  }, { timeout: 120_000 });
  countFinished(created.filter((row) => row.status === "SKIPPED"));
  await publish(
    ...replaced.map((row) => ({ name: row.status === "CANCELLED" ? "execution.finished" : "execution.cancel_requested", data: summarize(row) }) as const),
    ...created.map((row) => ({ name: row.status === "SKIPPED" ? "execution.finished" : "execution.queued", data: summarize(row) }) as const),
  );
  return {
    jobs,
    queued: created.filter((row) => row.status === "QUEUED").length,
    skipped: created.filter((row) => row.status === "SKIPPED").length,
  };
}

async function lockDueJobs(tx: Tx, now: Date, limit: number): Promise<Job[]> {
  // NO KEY UPDATE: inserting an execution (a foreign key check) elsewhere does not wait for it.
  // The locked rows themselves, as Jobs: no second read of what was just locked.
  return tx.$queryRaw<Job[]>`
    SELECT ${JOB_COLUMNS} FROM jobs
    WHERE next_run_at <= ${now} AND enabled AND health = 'active' AND deleted_at IS NULL
    ORDER BY next_run_at
    LIMIT ${limit}
    FOR NO KEY UPDATE SKIP LOCKED`;
}

async function activeCounts(tx: Tx, jobIds: string[]): Promise<Map<string, number>> {
  const groups = await tx.execution.groupBy({
    by: ["jobId"],
    where: { jobId: { in: jobIds }, status: { in: ["QUEUED", "RUNNING"] } },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.jobId!, group._count._all]));
}

/**
 * The maintenance window, read once per batch. One that has ended still holds the fire times it
 * covered, so fires missed during it (no scheduler ran) are recorded as held, not run late.
 */
async function maintenanceHold(tx: Tx): Promise<Hold | null> {
  const window = await tx.maintenanceWindow.findFirst();
  return window ? { code: "MAINTENANCE", until: window.until, message: `Maintenance until ${window.until.toISOString()}: ${window.reason}` } : null;
}

/** Maintenance first: with both, the row names the scheduler-wide reason. A past pause holds nothing due now. */
function holdsOf(job: Job, maintenance: Hold | null): Hold[] {
  const holds = maintenance ? [maintenance] : [];
  if (job.pausedUntil) {
    holds.push({ code: "PAUSED", until: job.pausedUntil, message: `Paused until ${job.pausedUntil.toISOString()}` });
  }
  return holds;
}

function planFor(job: Job, activeCount: number, holds: Hold[], now: Date, misfireGraceMs: number): FirePlan {
  return planFires(
    {
      schedule: scheduleOf(job),
      nextRunAt: job.nextRunAt!,
      misfirePolicy: job.misfirePolicy,
      overlapPolicy: job.overlapPolicy,
      activeCount,
      holds,
    },
    now,
    misfireGraceMs,
  );
}

/** A planned fire as a row of insertFires()'s statement (its columns; the rest take their defaults). */
function executionRows(job: Job, plan: FirePlan, now: Date) {
  return plan.executions.map((planned) => ({
    id: crypto.randomUUID(),
    job_id: job.id,
    job_version: job.version,
    job_name: job.name,
    type: job.type,
    status: planned.status,
    max_attempts: job.maxAttempts,
    retry_backoff_seconds: job.retryBackoffSeconds,
    timeout_seconds: job.timeoutSeconds,
    params: job.params,
    scheduled_for: planned.scheduledFor,
    queued_at: now,
    ...(planned.status === "SKIPPED" ? { finished_at: now, error_code: planned.error!.code, error_message: planned.error!.message } : {}),
  }));
}

/**
 * Inserts the planned fires in one statement with one parameter (a batch of 500 through the ORM
 * rendered thousands of parameters on the event loop) and returns the rows it inserted. A fire
 * already materialised is skipped: its (job, instant) slot is unique.
 */
async function insertFires(tx: Tx, rows: ReturnType<typeof executionRows>): Promise<Execution[]> {
  if (rows.length === 0) return [];
  return tx.$queryRaw<Execution[]>`
    INSERT INTO executions (id, job_id, job_version, job_name, type, status, trigger, triggered_by, max_attempts,
      retry_backoff_seconds, timeout_seconds, params, scheduled_for, queued_at, finished_at, error_code, error_message)
    SELECT id, job_id, job_version, job_name, type, status::"ExecutionStatus", 'schedule'::"ExecutionTrigger", 'scheduler', max_attempts,
      retry_backoff_seconds, timeout_seconds, params, scheduled_for, queued_at, finished_at, error_code, error_message
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, job_id uuid, job_version int, job_name text, type text,
      status text, max_attempts int, retry_backoff_seconds int, timeout_seconds int, params jsonb, scheduled_for timestamptz,
      queued_at timestamptz, finished_at timestamptz, error_code text, error_message text)
    ON CONFLICT DO NOTHING
    RETURNING ${INSERTED_COLUMNS}`;
}

/** With the replace policy, a new fire stops what the job was doing: queued runs end, running ones are asked to stop. */
async function cancelReplaced(tx: Tx, plans: { job: Job; plan: FirePlan }[]): Promise<Execution[]> {
  // Older runs of each replacing job: not the fires planned now, whether this tick inserted them or
  // an earlier tick for the same instant did (then the insert was skipped as a duplicate).
  const older = plans
    .filter(({ job, plan }) => job.overlapPolicy === "replace" && plan.executions.some((e) => e.status === "QUEUED"))
    .map(({ job, plan }) => ({ jobId: job.id, scheduledFor: { notIn: plan.executions.filter((e) => e.status === "QUEUED").map((e) => e.scheduledFor) } }));
  if (older.length === 0) return [];
  const now = new Date();
  const cancelled = await tx.execution.updateManyAndReturn({
    where: { OR: older, status: "QUEUED" },
    data: { status: "CANCELLED", finishedAt: now, errorCode: "CANCELLED", errorMessage: "Replaced by a newer run (overlap policy replace)" },
  });
  const stopping = await tx.execution.updateManyAndReturn({
    where: { OR: older, status: "RUNNING", cancelRequestedAt: null },
    data: { cancelRequestedAt: now, cancelRequestedBy: "scheduler (replace)" },
  });
  return [...cancelled, ...stopping];
}

async function advance(tx: Tx, plans: { job: Job; plan: FirePlan }[]): Promise<void> {
  const ids = plans.map(({ job }) => job.id);
  const next = plans.map(({ plan }) => plan.nextRunAt?.toISOString() ?? null);
  // The scheduler's own bookkeeping does not bump `version`: that would turn every fire into a conflict for editors.
  await tx.$executeRaw`
    UPDATE jobs AS j SET next_run_at = v.next
    FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${next}::timestamptz[]) AS next) AS v
    WHERE j.id = v.id`;
}

async function recordTick({ workerId, role }: TickConfig, now: Date): Promise<void> {
  const db = await getPrisma();
  await db.schedulerInstance.upsert({
    where: { id: workerId },
    create: { id: workerId, role, lastTickAt: now, lastSeenAt: now },
    update: { lastTickAt: now, lastSeenAt: now },
  });
}
