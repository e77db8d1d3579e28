// Reset a job paused after repeated failures: failed -> active, and it is scheduled again.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import type { JobDto } from "./schemas";
import { scheduleOf, toJobDto } from "./serialize";
import { publishJobChanged } from "./events";
import { loadForChange, nextRunFor, saveJob } from "./store";

export async function resetJob({ actor, input }: { actor: Actor | null; input: { id: string; expectedVersion?: number } }): Promise<JobDto> {
  const editor = requireRole(actor, "operator");
  const db = await getPrisma();
  const job = await db.$transaction(async (tx) => {
    const before = await loadForChange(tx, input.id, input.expectedVersion);
    if (before.health !== "failed") {
      throw new DomainError("INVALID_STATE", `Job "${before.name}" is not failed; only a failed job can be reset`);
    }
    const nextRunAt = nextRunFor({ enabled: before.enabled, health: "active", schedule: scheduleOf(before) });
    const after = await saveJob(tx, before, { health: "active", consecutiveFailures: 0, nextRunAt });
    await writeAudit(tx, {
      actor: editor,
      action: "job.reset",
      targetType: "job",
      targetId: after.id,
      summary: `Reset job "${after.name}" after ${before.consecutiveFailures} consecutive failures`,
      changes: {
        health: { from: "failed", to: "active" },
        consecutiveFailures: { from: before.consecutiveFailures, to: 0 },
      },
    });
    return after;
  });
  await publishJobChanged(job);
  return toJobDto(job);
}
