import { z } from "zod";
import { EXECUTION_STATUSES, EXECUTION_TRIGGERS } from "@/lib/jobs/schemas";

const Timestamp = z.string().describe("ISO-8601 in UTC");

export const ExecutionSchema = z.object({
  id: z.uuid(),
  jobId: z.uuid().nullable(),
  jobVersion: z.number().int().nullable(),
  jobName: z.string(),
  type: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  cancelRequested: z.boolean(),
  trigger: z.enum(EXECUTION_TRIGGERS),
  triggeredBy: z.string(),
  attempt: z.number().int(),
  parentExecutionId: z.uuid().nullable().describe("For trigger chain: the run whose finish created this one"),
  params: z.record(z.string(), z.unknown()),
  scheduledFor: Timestamp,
  queuedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  lastHeartbeatAt: Timestamp.nullable(),
  durationMs: z.number().int().nullable(),
  queueDelayMs: z.number().int().nullable(),
  progress: z.object({ percent: z.number().int(), message: z.string().nullable() }).nullable(),
  result: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  workerId: z.string().nullable(),
});
export type ExecutionDto = z.infer<typeof ExecutionSchema>;
