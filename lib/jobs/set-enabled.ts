// Enable or disable a job. Idempotent: asking for the state it is already in changes nothing.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import type { JobDto } from "./schemas";
import { scheduleOf, toJobDto } from "./serialize";
import { publishJobChanged } from "./events";
import { loadForChange, nextRunFor, saveJob } from "./store";

export async function setJobEnabled({
  actor,
  input,
}: {
  actor: Actor | null;
  input: { id: string; enabled: boolean; expectedVersion?: number };
}): Promise<JobDto> {
  const editor = requireRole(actor, "operator");
  const db = await getPrisma();
  const { job, changed } = await db.$transaction(async (tx) => {
    const before = await loadForChange(tx, input.id, input.expectedVersion);
    if (before.enabled === input.enabled) return { job: before, changed: false };
    const nextRunAt = nextRunFor({ enabled: input.enabled, health: before.health, schedule: scheduleOf(before) });
    const after = await saveJob(tx, before, { enabled: input.enabled, nextRunAt });
    await writeAudit(tx, {
      actor: editor,
      action: input.enabled ? "job.enable" : "job.disable",
      targetType: "job",
      targetId: after.id,
      summary: `${input.enabled ? "Enabled" : "Disabled"} job "${after.name}"`,
      changes: {
        enabled: { from: before.enabled, to: after.enabled },
        nextRunAt: { from: before.nextRunAt?.toISOString() ?? null, to: after.nextRunAt?.toISOString() ?? null },
      },
    });
    return { job: after, changed: true };
  });
  if (changed) await publishJobChanged(job);
  return toJobDto(job);
}
