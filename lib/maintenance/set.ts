// Start (or change) the scheduler-wide maintenance window: until it ends every scheduled fire is
// recorded SKIPPED (MAINTENANCE); run now, retries, backfills and chains still run.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { activeWindow, toMaintenanceDto } from "./get";
import type { MaintenanceDto, MaintenanceInput } from "./schemas";

export async function setMaintenance({ actor, input }: { actor: Actor | null; input: MaintenanceInput }): Promise<MaintenanceDto> {
  const admin = requireRole(actor, "admin");
  const until = new Date(input.until);
  const now = new Date();
  if (until <= now) {
    throw new DomainError("VALIDATION_FAILED", "A maintenance window must end in the future", {
      field: "until",
      details: [{ path: "until", message: "This time has already passed" }],
    });
  }
  const db = await getPrisma();
  const row = await db.$transaction(async (tx) => {
    const before = await activeWindow(tx, now);
    const data = { until, reason: input.reason, setBy: admin.name, setAt: now };
    const after = await tx.maintenanceWindow.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    await writeAudit(tx, {
      actor: admin,
      action: "maintenance.set",
      targetType: "system",
      targetId: null,
      summary: `Maintenance until ${until.toISOString()}: ${input.reason}`,
      changes: {
        until: { from: before?.until.toISOString() ?? null, to: until.toISOString() },
        reason: { from: before?.reason ?? null, to: input.reason },
      },
    });
    return after;
  });
  return toMaintenanceDto(row);
}
