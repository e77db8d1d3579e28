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

/** (job_id, scheduled_for) is unique; in the rare case that this millisecond is taken, use the next one. */
async function insertDueNow(tx: Tx, run: ManualRun): Promise<Execution> {
  const now = Date.now();
  for (let offset = 0; offset < 100; offset++) {
    const [execution] = await tx.execution.createManyAndReturn({
      data: [{ id: crypto.randomUUID(), ...run, params: run.params as Prisma.InputJsonValue, trigger: "manual", scheduledFor: new Date(now + offset) }],
      skipDuplicates: true,
    });
    if (execution) return execution;
  }
  throw new Error(`Could not find a free instant to queue "${run.jobName}"`);
}
