// Backfill: runs of a cron or interval job for the fire times of a past range, as if the scheduler
// had fired them (trigger backfill, scheduledFor the fire time). A dry run lists the times; fire
// times that already have an execution of the job are skipped ((job_id, scheduled_for) is unique).
// The worker runs a job's backfill runs one at a time, oldest first (see lib/engine/claim.ts).
import crypto from "node:crypto";
import { z } from "zod";
import { getPrisma, type Job, type Prisma, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { publish } from "@/lib/events/bus";
import type { ExecutionSummary } from "@/lib/events/types";
import { summarize } from "@/lib/executions/summary";
import { fireTimesBetween } from "./schedule";
import { scheduleOf } from "./serialize";
import { findLiveJob, loadForChange } from "./store";

export const MAX_BACKFILL = 1000;

const Instant = z.iso.datetime({ offset: true, message: "Use an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z" });

export const BackfillBody = z.strictObject({
  from: Instant.describe("The first fire time considered (inclusive)"),
  to: Instant.describe("The end of the range (exclusive); not in the future"),
  dryRun: z.boolean().optional().describe("List the fire times without queueing anything"),
});
export type BackfillBody = z.infer<typeof BackfillBody>;

export interface BackfillPreview {
  fireTimes: string[];
  count: number;
  /** The fire times that already have an execution of the job, which a backfill would skip. */
  existing: string[];
}

export interface BackfillResult {
  /** Runs queued. */
  count: number;
  executions: ExecutionSummary[];
  /** Fire times skipped because they already had an execution. */
  skipped: number;
}

const refuse = (field: string, message: string) => new DomainError("VALIDATION_FAILED", message, { field, details: [{ path: field, message }] });

export async function previewBackfill({ actor, input }: { actor: Actor | null; input: { id: string } & BackfillBody }): Promise<BackfillPreview> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  const job = await findLiveJob(db, input.id);
  if (job.systemKey) throw new DomainError("SYSTEM_MANAGED", `"${job.name}" is managed by Tickwork itself and cannot be backfilled`);
  const times = await fireTimes(db, job, input);
  const existing = await existingTimes(db, job.id, times);
  return { fireTimes: times.map((time) => time.toISOString()), count: times.length, existing: existing.map((time) => time.toISOString()) };
}

export async function backfillJob({ actor, input }: { actor: Actor | null; input: { id: string } & BackfillBody }): Promise<BackfillResult> {
  const runner = requireRole(actor, "operator");
  const db = await getPrisma();
  const created = await db.$transaction(async (tx) => {
    // Locked like any change of the job (jobs before executions), and refused for system jobs.
    const job = await loadForChange(tx, input.id);
    const times = await fireTimes(tx, job, input);
    const now = new Date();
    const rows = await tx.execution.createManyAndReturn({ data: times.map((time) => row(job, time, runner.name, now)), skipDuplicates: true });
    await writeAudit(tx, {
      actor: runner,
      action: "job.backfill",
      targetType: "job",
      targetId: job.id,
      summary: `Backfilled "${job.name}" from ${input.from} to ${input.to}: ${rows.length} run(s) queued, ${times.length - rows.length} fire time(s) skipped (already run)`,
      changes: { backfill: { from: null, to: { from: input.from, to: input.to, queued: rows.length, skipped: times.length - rows.length } } },
    });
    return { rows, skipped: times.length - rows.length };
  });
  const executions = [...created.rows].sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime()).map(summarize);
  await publish(...executions.map((data) => ({ name: "execution.queued" as const, data })));
  return { count: executions.length, executions, skipped: created.skipped };
}

/** The range's fire times, after the checks the API promises (400 with the field named). */
async function fireTimes(db: Pick<Tx, "execution">, job: Job, input: BackfillBody): Promise<Date[]> {
  const schedule = scheduleOf(job);
  if (schedule.type !== "cron" && schedule.type !== "interval") {
    throw refuse("schedule", `Only cron and interval jobs can be backfilled; "${job.name}" is ${schedule.type === "once" ? "a one-off" : "manual"}`);
  }
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (to <= from) throw refuse("to", "`to` must be after `from`");
  if (to > new Date()) throw refuse("to", "A backfill ends now at the latest; `to` is in the future");
  const times = fireTimesBetween(schedule, from, to, MAX_BACKFILL + 1, await intervalAnchor(db, job, from));
  if (times.length > MAX_BACKFILL) {
    throw refuse("to", `The range has more than ${MAX_BACKFILL.toLocaleString("en")} fire times; backfill a shorter one`);
  }
  return times;
}

/** Interval fire times lie on the job's own grid: through its next run, or its newest scheduled one. */
async function intervalAnchor(db: Pick<Tx, "execution">, job: Job, from: Date): Promise<Date> {
  if (job.scheduleType !== "interval") return from;
  if (job.nextRunAt) return job.nextRunAt;
  const newest = await db.execution.findFirst({ where: { jobId: job.id, trigger: "schedule" }, orderBy: { scheduledFor: "desc" }, select: { scheduledFor: true } });
  return newest?.scheduledFor ?? from;
}

async function existingTimes(db: Pick<Tx, "execution">, jobId: string, times: Date[]): Promise<Date[]> {
  if (times.length === 0) return [];
  const rows = await db.execution.findMany({ where: { jobId, scheduledFor: { in: times } }, select: { scheduledFor: true }, orderBy: { scheduledFor: "asc" } });
  return rows.map((row) => row.scheduledFor);
}

function row(job: Job, scheduledFor: Date, triggeredBy: string, now: Date): Prisma.ExecutionCreateManyInput {
  return {
    id: crypto.randomUUID(),
    jobId: job.id,
    jobVersion: job.version,
    jobName: job.name,
    type: job.type,
    trigger: "backfill",
    triggeredBy,
    maxAttempts: job.maxAttempts,
    retryBackoffSeconds: job.retryBackoffSeconds,
    timeoutSeconds: job.timeoutSeconds,
    params: job.params as Prisma.InputJsonValue,
    scheduledFor,
    queuedAt: now,
  };
}
