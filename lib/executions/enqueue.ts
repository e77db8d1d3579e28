// Enqueue: an ad-hoc run of a handler with no job behind it.
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { publish } from "@/lib/events/bus";
import { parseParams } from "@/lib/handlers/registry";
import { restoreRedacted } from "@/lib/secrets/redact";
import { assertKnownSecrets } from "@/lib/secrets/usage";
import { JobParams } from "@/lib/jobs/schemas";
import { queueManualRun, type QueuedRun } from "./queue-manual";
import { summarize } from "./summary";

export const EnqueueBody = z.strictObject({
  type: z.string().trim().min(1).max(100),
  params: JobParams.default({}),
  timeoutSeconds: z.number().int().min(1).max(7 * 86_400).default(3600),
  maxAttempts: z.number().int().min(1).max(25).default(1),
  retryBackoffSeconds: z.number().int().min(1).max(86_400).default(30),
});
export type EnqueueBody = z.infer<typeof EnqueueBody>;

export async function enqueue({ actor, input }: { actor: Actor | null; input: EnqueueBody }): Promise<QueuedRun> {
  const runner = requireRole(actor, "operator");
  const params = parseParams(input.type, restoreRedacted(input.params, {}));
  const db = await getPrisma();
  const queued = await db.$transaction(async (tx) => {
    await assertKnownSecrets(tx, params);
    const run = await queueManualRun(tx, {
      jobId: null,
      jobVersion: null,
      jobName: input.type,
      type: input.type,
      params,
      triggeredBy: runner.name,
      maxAttempts: input.maxAttempts,
      retryBackoffSeconds: input.retryBackoffSeconds,
      timeoutSeconds: input.timeoutSeconds,
    });
    await writeAudit(tx, {
      actor: runner,
      action: "execution.enqueue",
      targetType: "execution",
      targetId: run.execution.id,
      summary: `Enqueued an ad-hoc ${input.type} run`,
    });
    return run;
  });
  await publish({ name: "execution.queued", data: summarize(queued.execution) });
  return queued;
}
