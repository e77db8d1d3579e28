import type { Job } from "@/lib/db";
import { redactParams } from "@/lib/secrets/redact";
import type { JobDto, Schedule } from "./schemas";

export function scheduleOf(job: Pick<Job, "scheduleType" | "cronExpression" | "timezone" | "intervalSeconds" | "runAt">): Schedule {
  switch (job.scheduleType) {
    case "cron":
      return { type: "cron", expression: job.cronExpression ?? "", timezone: job.timezone };
    case "interval":
      return { type: "interval", everySeconds: job.intervalSeconds ?? 0 };
    case "once":
      return { type: "once", at: job.runAt?.toISOString() ?? "" };
    case "manual":
      return { type: "manual" };
  }
}

/** The columns that store a schedule. */
export function scheduleColumns(schedule: Schedule) {
  return {
    scheduleType: schedule.type,
    cronExpression: schedule.type === "cron" ? schedule.expression : null,
    timezone: schedule.type === "cron" ? schedule.timezone : "UTC",
    intervalSeconds: schedule.type === "interval" ? schedule.everySeconds : null,
    runAt: schedule.type === "once" ? new Date(schedule.at) : null,
  };
}

/** A pause that has ended is no pause: the field reads null once `pausedUntil` has passed. */
export const activePause = (job: Pick<Job, "pausedUntil">, now = new Date()) => (job.pausedUntil && job.pausedUntil > now ? job.pausedUntil : null);

export function toJobDto(job: Job): JobDto {
  return {
    id: job.id,
    name: job.name,
    description: job.description,
    type: job.type,
    params: redactParams((job.params ?? {}) as Record<string, unknown>),
    schedule: scheduleOf(job),
    enabled: job.enabled,
    health: job.health,
    systemManaged: job.systemKey !== null,
    overlapPolicy: job.overlapPolicy,
    misfirePolicy: job.misfirePolicy,
    timeoutSeconds: job.timeoutSeconds,
    maxAttempts: job.maxAttempts,
    retryBackoffSeconds: job.retryBackoffSeconds,
    pauseAfterFailures: job.pauseAfterFailures,
    nextRunAt: job.nextRunAt?.toISOString() ?? null,
    lastRunAt: job.lastRunAt?.toISOString() ?? null,
    lastStatus: job.lastStatus,
    consecutiveFailures: job.consecutiveFailures,
    pausedUntil: activePause(job)?.toISOString() ?? null,
    onSuccess: job.onSuccess,
    onFailure: job.onFailure,
    notes: job.notes,
    version: job.version,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    createdBy: job.createdBy,
  };
}
