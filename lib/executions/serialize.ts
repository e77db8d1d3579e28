import type { Execution } from "@/lib/db";
import { redactParams } from "@/lib/secrets/redact";
import type { ExecutionDto } from "./schemas";

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toExecutionDto(row: Execution): ExecutionDto {
  return {
    id: row.id,
    jobId: row.jobId,
    jobVersion: row.jobVersion,
    jobName: row.jobName,
    type: row.type,
    status: row.status,
    cancelRequested: row.cancelRequestedAt !== null,
    trigger: row.trigger,
    triggeredBy: row.triggeredBy,
    attempt: row.attempt,
    parentExecutionId: row.parentExecutionId,
    params: redactParams((row.params ?? {}) as Record<string, unknown>),
    scheduledFor: row.scheduledFor.toISOString(),
    queuedAt: row.queuedAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    lastHeartbeatAt: iso(row.lastHeartbeatAt),
    durationMs: row.durationMs,
    queueDelayMs: row.queueDelayMs,
    progress: row.progressPercent === null ? null : { percent: row.progressPercent, message: row.progressMessage },
    result: row.result ?? null,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
    workerId: row.workerId,
  };
}
