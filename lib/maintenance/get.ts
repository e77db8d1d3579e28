// The maintenance window in force, if any: a window whose end has passed is no window.
import { getPrisma, type Tx } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import type { MaintenanceDto } from "./schemas";

export async function activeWindow(db: Pick<Tx, "maintenanceWindow">, now = new Date()) {
  return db.maintenanceWindow.findFirst({ where: { until: { gt: now } } });
}

export const toMaintenanceDto = (row: { until: Date; reason: string; setBy: string; setAt: Date }): MaintenanceDto => ({
  until: row.until.toISOString(),
  reason: row.reason,
  setBy: row.setBy,
  setAt: row.setAt.toISOString(),
});

export async function getMaintenance({ actor }: { actor: Actor | null }): Promise<MaintenanceDto | null> {
  requireRole(actor, "viewer");
  const row = await activeWindow(await getPrisma());
  return row ? toMaintenanceDto(row) : null;
}
