// DELETE /api/channels/:id: the channel goes with its deliveries (pending ones are never sent). Audited.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { lockChannel } from "./store";

export async function deleteChannel({ actor, input }: { actor: Actor | null; input: { id: string } }): Promise<void> {
  const admin = requireRole(actor, "admin");
  const db = await getPrisma();
  await db.$transaction(async (tx) => {
    const channel = await lockChannel(tx, input.id, "delete");
    await tx.notificationChannel.delete({ where: { id: channel.id } });
    await writeAudit(tx, {
      actor: admin,
      action: "channel.delete",
      targetType: "channel",
      targetId: channel.id,
      summary: `Deleted ${channel.kind} channel "${channel.name}"`,
    });
  });
}
