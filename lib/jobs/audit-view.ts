// The fields of a job that an audit diff shows.
import type { Job } from "@/lib/db";
import { scheduleOf } from "./serialize";

export function auditView(job: Job): Record<string, unknown> {
  return {
    name: job.name,
    description: job.description,
    type: job.type,
    params: job.params,
    schedule: scheduleOf(job),
    enabled: job.enabled,
    health: job.health,
    overlapPolicy: job.overlapPolicy,
    misfirePolicy: job.misfirePolicy,
    timeoutSeconds: job.timeoutSeconds,
    maxAttempts: job.maxAttempts,
    retryBackoffSeconds: job.retryBackoffSeconds,
    pauseAfterFailures: job.pauseAfterFailures,
    notes: job.notes,
  };
}
