// Soft delete: the job disappears from reads; its executions and audit stay.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { publishJobDeleted } from "./events";
import { loadForChange, saveJob } from "./store";

export async function deleteJob({ actor, input }: { actor: Actor | null; input: { id: string; expectedVersion?: number } }): Promise<void> {
  const editor = requireRole(actor, "operator");
  const db = await getPrisma();
  const deleted = await db.$transaction(async (tx) => {
    const before = await loadForChange(tx, input.id, input.expectedVersion);
    const after = await saveJob(tx, before, { deletedAt: new Date(), enabled: false, nextRunAt: null });
    await writeAudit(tx, {
      actor: editor,
      action: "job.delete",
      targetType: "job",
      targetId: after.id,
      summary: `Deleted job "${after.name}"`,
      changes: { deleted: { from: false, to: true } },
    });
    return after;
  });
  await publishJobDeleted(deleted);
}
