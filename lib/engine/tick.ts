// One scheduler tick: materialise the executions of every due job, exactly once across instances.
// Due jobs are locked FOR UPDATE SKIP LOCKED, so two schedulers never take the same job, and
// (job_id, scheduled_for) is unique, so even a repeated tick cannot insert a fire twice.
import crypto from "node:crypto";
import { getPrisma, type Execution, type Job, type Prisma, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { publish } from "@/lib/events/bus";
import { summarize } from "@/lib/executions/summary";
import { scheduleOf } from "@/lib/jobs/serialize";
import { planFires, type FirePlan } from "./plan";

const BATCH = 500;
/**
 * Fires due within the next two seconds are queued now with their exact scheduledFor, and the
 * worker wakes for each at that instant: fire lag does not depend on where the tick falls in a
 * second, nor on how long a busy tick takes.
 */
export const LOOKAHEAD_MS = 2000;

export interface TickResult {
  jobs: number;
  queued: number;
  skipped: number;
}

export async function tick(now = new Date(), instanceId?: string, lookaheadMs = LOOKAHEAD_MS): Promise<TickResult> {
  const total: TickResult = { jobs: 0, queued: 0, skipped: 0 };
  for (;;) {
    const batch = await tickBatch(now, new Date(now.getTime() + lookaheadMs));
    total.jobs += batch.jobs;
    total.queued += batch.queued;
    total.skipped += batch.skipped;
    if (batch.jobs < BATCH) break;
  }
  if (instanceId) await recordTick(instanceId, now);
  return total;
}

async function tickBatch(now: Date, horizon: Date): Promise<TickResult> {
  const db = await getPrisma();
  const { created, replaced, jobs } = await db.$transaction(async (tx) => {
    const due = await lockDueJobs(tx, horizon);
    if (due.length === 0) return { created: [], replaced: [], jobs: 0 };
    const active = await activeCounts(tx, due.map((job) => job.id));
    const plans = due.map((job) => ({ job, plan: planFor(job, active.get(job.id) ?? 0, horizon) }));
    const rows = plans.flatMap(({ job, plan }) => executionRows(job, plan, now));
    const created = await tx.execution.createManyAndReturn({ data: rows, skipDuplicates: true });
    const replaced = await cancelReplaced(tx, plans);
    await advance(tx, plans);
    return { created, replaced, jobs: due.length };
  // Generous: after a long outage, misfire planning of a full batch can take a while.
  }, { timeout: 120_000 });
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

async function lockDueJobs(tx: Tx, now: Date): Promise<Job[]> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM jobs
    WHERE next_run_at <= ${now} AND enabled AND health = 'active' AND deleted_at IS NULL
    ORDER BY next_run_at
    LIMIT ${BATCH}
    FOR UPDATE SKIP LOCKED`;
  if (locked.length === 0) return [];
  return tx.job.findMany({ where: { id: { in: locked.map((row) => row.id) } } });
}

async function activeCounts(tx: Tx, jobIds: string[]): Promise<Map<string, number>> {
  const groups = await tx.execution.groupBy({
    by: ["jobId"],
    where: { jobId: { in: jobIds }, status: { in: ["QUEUED", "RUNNING"] } },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.jobId!, group._count._all]));
}

function planFor(job: Job, activeCount: number, now: Date): FirePlan {
  return planFires(
    {
      schedule: scheduleOf(job),
      nextRunAt: job.nextRunAt!,
      misfirePolicy: job.misfirePolicy,
      overlapPolicy: job.overlapPolicy,
      activeCount,
    },
    now,
    env.TICKWORK_MISFIRE_GRACE_SECONDS * 1000,
  );
}

function executionRows(job: Job, plan: FirePlan, now: Date): Prisma.ExecutionCreateManyInput[] {
  return plan.executions.map((planned) => ({
    id: crypto.randomUUID(),
    jobId: job.id,
    jobVersion: job.version,
    jobName: job.name,
    type: job.type,
    status: planned.status,
    trigger: "schedule",
    triggeredBy: "scheduler",
    maxAttempts: job.maxAttempts,
    retryBackoffSeconds: job.retryBackoffSeconds,
    timeoutSeconds: job.timeoutSeconds,
    params: job.params as Prisma.InputJsonValue,
    scheduledFor: planned.scheduledFor,
    queuedAt: now,
    ...(planned.status === "SKIPPED"
      ? { finishedAt: now, errorCode: planned.error!.code, errorMessage: planned.error!.message }
      : {}),
  }));
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

async function recordTick(instanceId: string, now: Date): Promise<void> {
  const db = await getPrisma();
  await db.schedulerInstance.upsert({
    where: { id: instanceId },
    create: { id: instanceId, role: env.TICKWORK_ROLE, lastTickAt: now, lastSeenAt: now },
    update: { lastTickAt: now, lastSeenAt: now },
  });
}
