import type { Execution } from "@/lib/db";
import type { ExecutionSummary } from "@/lib/events/types";
import { toExecutionDto } from "./serialize";

export function summarize(row: Execution): ExecutionSummary {
  const dto = toExecutionDto(row);
  return {
    id: dto.id,
    jobId: dto.jobId,
    jobName: dto.jobName,
    type: dto.type,
    status: dto.status,
    cancelRequested: dto.cancelRequested,
    trigger: dto.trigger,
    triggeredBy: dto.triggeredBy,
    attempt: dto.attempt,
    scheduledFor: dto.scheduledFor,
    queuedAt: dto.queuedAt,
    startedAt: dto.startedAt,
    finishedAt: dto.finishedAt,
    durationMs: dto.durationMs,
    progress: dto.progress,
    error: dto.error ? { code: dto.error.code, message: dto.error.message.slice(0, 500) } : null,
    workerId: dto.workerId,
  };
}
