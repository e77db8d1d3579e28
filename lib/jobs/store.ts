// Shared steps of the job mutations: load for change (row lock, 404, system-managed, stale version),
// save with a version bump, and the rules for nextRunAt.
import { Prisma, type Job, type Tx } from "@/lib/db";
import { DomainError, notFound } from "@/lib/errors";
import { nextFireTime } from "./schedule";
import { toJobDto } from "./serialize";
import type { Schedule } from "./schemas";

export async function findLiveJob(db: Pick<Tx, "job">, id: string): Promise<Job> {
  const job = await db.job.findFirst({ where: { id, deletedAt: null } });
  if (!job) throw notFound("Job");
  return job;
}

function conflict(current: Job): DomainError {
  return new DomainError(
    "CONFLICT",
    `The job was changed by someone else (now at version ${current.version}); reload and try again`,
    { details: [toJobDto(current)], field: "version" },
  );
}

/** Loads a job that is about to change, refusing system-managed jobs and stale versions. */
export async function loadForChange(tx: Tx, id: string, expectedVersion?: number): Promise<Job> {
  // Lock the row until the transaction ends: a concurrent change waits and then reads this one's
  // result, so a writer that named no version is never refused and idempotent calls stay idempotent.
  await tx.$queryRaw`SELECT 1 FROM jobs WHERE id = ${id}::uuid FOR UPDATE`;
  const job = await findLiveJob(tx, id);
  if (job.systemKey) {
    throw new DomainError("SYSTEM_MANAGED", `"${job.name}" is managed by Tickwork itself and cannot be changed`);
  }
  if (expectedVersion !== undefined && expectedVersion !== job.version) throw conflict(job);
  return job;
}

/** Writes a change only if nobody else changed the job since `before` was read. */
export async function saveJob(tx: Tx, before: Job, data: Prisma.JobUpdateInput): Promise<Job> {
  try {
    return await tx.job.update({
      where: { id: before.id, version: before.version },
      data: { ...data, version: { increment: 1 } },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") {
      throw conflict(await findLiveJob(tx, before.id));
    }
    throw rethrowDuplicateName(error, String(data.name ?? before.name));
  }
}

export function rethrowDuplicateName(error: unknown, name: string): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    return new DomainError("CONFLICT", `A job named "${name}" already exists`, {
      field: "name",
      details: [{ path: "name", message: "Job names are unique (ignoring case)" }],
    });
  }
  return error;
}

/** When a job should fire next: null unless it is enabled and healthy and its schedule fires again. */
export function nextRunFor(job: { enabled: boolean; health: string; schedule: Schedule }, now = new Date()): Date | null {
  if (!job.enabled || job.health !== "active") return null;
  return nextFireTime(job.schedule, now);
}

export function rejectPastOnce(schedule: Schedule, now = new Date()): void {
  if (schedule.type === "once" && new Date(schedule.at) <= now) {
    throw new DomainError("VALIDATION_FAILED", "A one-off schedule must be in the future", {
      field: "schedule",
      details: [{ path: "schedule.at", message: "This time has already passed" }],
    });
  }
}
