// Queues an execution on demand (run-now, enqueue), with the ALREADY_RUNNING warning.
import crypto from "node:crypto";
import type { Execution, Prisma, Tx } from "@/lib/db";

export interface ManualRun {
  jobId: string | null;
  jobVersion: number | null;
  jobName: string;
  type: string;
  params: Record<string, unknown>;
  triggeredBy: string;
  maxAttempts: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number;
}

export interface QueuedRun {
  execution: Execution;
  warning?: { code: "ALREADY_RUNNING"; message: string; activeExecutionIds: string[] };
}

export async function queueManualRun(tx: Tx, run: ManualRun): Promise<QueuedRun> {
  const active = await tx.execution.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] }, ...(run.jobId ? { jobId: run.jobId } : { jobId: null, type: run.type }) },
    select: { id: true },
    take: 20,
  });
  const execution = await insertDueNow(tx, run);
  const warning =
    active.length > 0
      ? {
          code: "ALREADY_RUNNING" as const,
          message: `${active.length} other execution(s) of ${run.jobId ? `"${run.jobName}"` : run.type} are queued or running`,
          activeExecutionIds: active.map((row) => row.id),
        }
      : undefined;
  return { execution, ...(warning ? { warning } : {}) };
}

/** Due now. Only fires hold a (job, instant) slot, so a manual run never collides with one. */
function insertDueNow(tx: Tx, run: ManualRun): Promise<Execution> {
  return tx.execution.create({
    data: { id: crypto.randomUUID(), ...run, params: run.params as Prisma.InputJsonValue, trigger: "manual", scheduledFor: new Date() },
  });
}
