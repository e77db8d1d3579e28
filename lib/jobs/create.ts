import { getPrisma } from "@/lib/db";
import { diff, writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { parseParams } from "@/lib/handlers/registry";
import { restoreRedacted } from "@/lib/secrets/redact";
import { assertKnownSecrets } from "@/lib/secrets/usage";
import { auditView } from "./audit-view";
import { checkChains, hasChains, lockChains } from "./chains";
import { JOB_DEFAULTS, type JobDto, type JobInput } from "./schemas";
import { scheduleColumns, toJobDto } from "./serialize";
import { publishJobChanged } from "./events";
import { nextRunFor, rejectPastOnce, rethrowDuplicateName } from "./store";

export async function createJob({ actor, input }: { actor: Actor | null; input: JobInput }): Promise<JobDto> {
  const creator = requireRole(actor, "operator");
  const fields = { ...JOB_DEFAULTS, ...input };
  const params = parseParams(fields.type, restoreRedacted(fields.params, {}));
  rejectPastOnce(fields.schedule);
  const db = await getPrisma();
  try {
    const job = await db.$transaction(async (tx) => {
      await assertKnownSecrets(tx, params);
      if (hasChains(fields)) {
        await lockChains(tx);
        await checkChains(tx, null, fields);
      }
      const created = await tx.job.create({
        data: {
          name: fields.name,
          description: fields.description,
          type: fields.type,
          params: params as object,
          ...scheduleColumns(fields.schedule),
          enabled: fields.enabled,
          overlapPolicy: fields.overlapPolicy,
          misfirePolicy: fields.misfirePolicy,
          timeoutSeconds: fields.timeoutSeconds,
          maxAttempts: fields.maxAttempts,
          retryBackoffSeconds: fields.retryBackoffSeconds,
          pauseAfterFailures: fields.pauseAfterFailures,
          onSuccess: fields.onSuccess,
          onFailure: fields.onFailure,
          notes: fields.notes,
          nextRunAt: nextRunFor({ enabled: fields.enabled, health: "active", schedule: fields.schedule }),
          createdBy: creator.name,
        },
      });
      await writeAudit(tx, {
        actor: creator,
        action: "job.create",
        targetType: "job",
        targetId: created.id,
        summary: `Created job "${created.name}"`,
        changes: diff({}, auditView(created)),
      });
      return created;
    });
    await publishJobChanged(job);
    return toJobDto(job);
  } catch (error) {
    throw rethrowDuplicateName(error, fields.name);
  }
}
