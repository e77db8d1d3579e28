// End the maintenance window now. Idempotent: with no window in force nothing changes.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { activeWindow } from "./get";

export async function clearMaintenance({ actor }: { actor: Actor | null }): Promise<void> {
  const admin = requireRole(actor, "admin");
  const db = await getPrisma();
  await db.$transaction(async (tx) => {
    const before = await activeWindow(tx);
    await tx.maintenanceWindow.deleteMany({});
    if (!before) return;
    await writeAudit(tx, {
      actor: admin,
      action: "maintenance.clear",
      targetType: "system",
      targetId: null,
      summary: `Ended the maintenance window early (it was to last until ${before.until.toISOString()})`,
      changes: { until: { from: before.until.toISOString(), to: null }, reason: { from: before.reason, to: null } },
    });
  });
}
