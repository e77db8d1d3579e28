// A job's editable fields as the API takes them, and the view of a job that audit diffs show.
import type { Job } from "@/lib/db";
import type { JobInput } from "./schemas";
import { scheduleOf } from "./serialize";

export function editableFields(job: Job): Required<JobInput> {
  return {
    name: job.name,
    description: job.description,
    type: job.type,
    params: job.params as Record<string, unknown>,
    schedule: scheduleOf(job),
    enabled: job.enabled,
    overlapPolicy: job.overlapPolicy,
    misfirePolicy: job.misfirePolicy,
    timeoutSeconds: job.timeoutSeconds,
    maxAttempts: job.maxAttempts,
    retryBackoffSeconds: job.retryBackoffSeconds,
    pauseAfterFailures: job.pauseAfterFailures,
    onSuccess: job.onSuccess,
    onFailure: job.onFailure,
    notes: job.notes,
  };
}

export function auditView(job: Job): Record<string, unknown> {
  return { ...editableFields(job), health: job.health };
}
