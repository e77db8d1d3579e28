import type { ExecutionDto } from "@/lib/executions/schemas";

export const EVENT_NAMES = [
  "execution.queued",
  "execution.started",
  "execution.progress",
  "execution.finished",
  "execution.cancel_requested",
  "execution.log",
  "job.changed",
  "job.deleted",
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** What travels on the bus. Small on purpose: NOTIFY payloads are limited to 8000 bytes. */
export type BusEvent =
  | { name: "execution.queued" | "execution.started" | "execution.finished" | "execution.cancel_requested"; data: ExecutionSummary }
  | { name: "execution.progress"; data: { id: string; jobId: string | null; percent: number; message: string | null } }
  | { name: "execution.log"; data: { id: string; jobId: string | null; lines: LogLine[] } }
  | { name: "job.changed" | "job.deleted"; data: { id: string; version: number } };

/** A line of a run's log (in events, a long message is shortened; GET /api/executions/:id/logs has it whole). */
export interface LogLine {
  seq: number;
  at: string;
  level: "info" | "warn" | "error" | "stdout" | "stderr";
  message: string;
}

/** The execution fields a live view needs; the full record is at GET /api/executions/:id. */
export type ExecutionSummary = Pick<
  ExecutionDto,
  | "id"
  | "jobId"
  | "jobName"
  | "type"
  | "status"
  | "cancelRequested"
  | "trigger"
  | "triggeredBy"
  | "attempt"
  | "scheduledFor"
  | "queuedAt"
  | "startedAt"
  | "finishedAt"
  | "durationMs"
  | "progress"
  | "error"
  | "workerId"
>;
