// PUT (replace) and PATCH (partial) of a job's editable fields.
import { getPrisma } from "@/lib/db";
import { diff, same, writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { parseParams } from "@/lib/handlers/registry";
import { restoreRedacted } from "@/lib/secrets/redact";
import { assertKnownSecrets } from "@/lib/secrets/usage";
import { auditView, editableFields } from "./audit-view";
import { checkChains, hasChains, lockChains } from "./chains";
import { JOB_DEFAULTS, type JobDto, type JobInput, type JobPatch } from "./schemas";
import { scheduleColumns, scheduleOf, toJobDto } from "./serialize";
import { publishJobChanged } from "./events";
import { loadForChange, nextRunFor, rejectPastOnce, saveJob } from "./store";

type UpdateMode = "replace" | "patch";

interface UpdateJobInput {
  id: string;
  changes: JobPatch;
  mode: UpdateMode;
  /** From If-Match; a `version` in the body counts too. */
  expectedVersion?: number;
}

export async function updateJob({ actor, input }: { actor: Actor | null; input: UpdateJobInput }): Promise<JobDto> {
  const editor = requireRole(actor, "operator");
  const { version, ...changes } = input.changes;
  const db = await getPrisma();
  const { job, changed } = await db.$transaction(async (tx) => {
    // Before the row lock, as a delete takes them (lists that only shrink need no check).
    if (hasChains(changes)) await lockChains(tx);
    const before = await loadForChange(tx, input.id, input.expectedVersion ?? version);
    const current = editableFields(before);
    const base = input.mode === "replace" ? { ...current, ...JOB_DEFAULTS } : current;
    const next = { ...base, ...changes } as Required<JobInput>;
    // "[redacted]" sent back (the console's form, a GET-modify-PUT) keeps the stored credential.
    const params = parseParams(next.type, restoreRedacted(next.params, current.params));
    // The stored spelling of the new schedule (e.g. "…T09:00:00Z" and "…T09:00:00.000Z" are one instant).
    next.schedule = scheduleOf({ ...before, ...scheduleColumns(next.schedule) });
    // Nothing changes: no new version, no audit event, like an idempotent enable.
    if (same({ ...next, params }, current)) return { job: before, changed: false };
    const scheduleChanged = !same(next.schedule, current.schedule);
    if (scheduleChanged) rejectPastOnce(next.schedule);
    await assertKnownSecrets(tx, params);
    if (hasChains(changes) && !same([next.onSuccess, next.onFailure], [current.onSuccess, current.onFailure])) {
      await checkChains(tx, before, next);
    }
    const timingChanged = scheduleChanged || next.enabled !== before.enabled;
    const after = await saveJob(tx, before, {
      name: next.name,
      description: next.description ?? null,
      type: next.type,
      params: params as object,
      ...scheduleColumns(next.schedule),
      enabled: next.enabled,
      overlapPolicy: next.overlapPolicy,
      misfirePolicy: next.misfirePolicy,
      timeoutSeconds: next.timeoutSeconds,
      maxAttempts: next.maxAttempts,
      retryBackoffSeconds: next.retryBackoffSeconds,
      pauseAfterFailures: next.pauseAfterFailures,
      onSuccess: next.onSuccess,
      onFailure: next.onFailure,
      notes: next.notes ?? null,
      ...(timingChanged ? { nextRunAt: nextRunFor({ ...next, health: before.health }) } : {}),
    });
    await writeAudit(tx, {
      actor: editor,
      action: "job.update",
      targetType: "job",
      targetId: after.id,
      summary: `Updated job "${after.name}"`,
      changes: diff(auditView(before), auditView(after)),
    });
    return { job: after, changed: true };
  });
  if (changed) await publishJobChanged(job);
  return toJobDto(job);
}
