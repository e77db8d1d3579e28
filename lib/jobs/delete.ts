// Soft delete: the job disappears from reads; its executions and audit stay, and it leaves the
// chain lists of the jobs that named it (each of those changes audited), so no list dangles.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { lockChains, removeFromChains } from "./chains";
import { publishJobChanged, publishJobDeleted } from "./events";
import { loadForChange, saveJob } from "./store";

export async function deleteJob({ actor, input }: { actor: Actor | null; input: { id: string; expectedVersion?: number } }): Promise<void> {
  const editor = requireRole(actor, "operator");
  const db = await getPrisma();
  const { deleted, unchained } = await db.$transaction(async (tx) => {
    await lockChains(tx);
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
    return { deleted: after, unchained: await removeFromChains(tx, editor, after) };
  });
  await publishJobDeleted(deleted);
  for (const job of unchained) await publishJobChanged(job);
}
