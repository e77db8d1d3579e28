// Run now: queues a manual execution of a job, with optional params overriding the job's own.
// Works on disabled and system-managed jobs and never moves nextRunAt.
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { publish } from "@/lib/events/bus";
import { queueManualRun, type QueuedRun } from "@/lib/executions/queue-manual";
import { summarize } from "@/lib/executions/summary";
import { parseParams } from "@/lib/handlers/registry";
import { restoreRedacted } from "@/lib/secrets/redact";
import { assertKnownSecrets } from "@/lib/secrets/usage";
import { JobParams } from "./schemas";
import { findLiveJob } from "./store";

export const RunJobBody = z.strictObject({
  params: JobParams.optional().describe("Merged over the job's params for this run only"),
});
export type RunJobBody = z.infer<typeof RunJobBody>;

export async function runJob({ actor, input }: { actor: Actor | null; input: { id: string } & RunJobBody }): Promise<QueuedRun> {
  const runner = requireRole(actor, "operator");
  const db = await getPrisma();
  const queued = await db.$transaction(async (tx) => {
    const job = await findLiveJob(tx, input.id);
    const stored = job.params as Record<string, unknown>;
    // Re-running an execution sends its (redacted) params back: "[redacted]" keeps the job's value.
    const merged = { ...stored, ...restoreRedacted(input.params, stored) };
    const params = parseParams(job.type, merged, { allowSystem: job.systemKey !== null });
    await assertKnownSecrets(tx, params);
    const run = await queueManualRun(tx, {
      jobId: job.id,
      jobVersion: job.version,
      jobName: job.name,
      type: job.type,
      params,
      triggeredBy: runner.name,
      maxAttempts: job.maxAttempts,
      retryBackoffSeconds: job.retryBackoffSeconds,
      timeoutSeconds: job.timeoutSeconds,
    });
    await writeAudit(tx, {
      actor: runner,
      action: "job.run",
      targetType: "job",
      targetId: job.id,
      summary: `Ran job "${job.name}" now${input.params ? " with params overrides" : ""}`,
      changes: input.params ? { params: { from: job.params, to: params } } : undefined,
    });
    return run;
  });
  await publish({ name: "execution.queued", data: summarize(queued.execution) });
  return queued;
}
