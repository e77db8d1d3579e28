// PATCH /api/channels/:id: change any field; the target is checked against the resulting kind and
// the outbound policy. Audited with what changed (never the secret).
import { getPrisma } from "@/lib/db";
import { diff, writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import type { ChannelDto, ChannelPatch } from "./schemas";
import { assertJobsExist, assertUsableTarget, lockChannel, toChannelDto } from "./store";

export async function updateChannel({ actor, input }: { actor: Actor | null; input: { id: string; patch: ChannelPatch } }): Promise<ChannelDto> {
  const admin = requireRole(actor, "admin");
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const before = toChannelDto(await lockChannel(tx, input.id, "edit"));
    const { patch } = input;
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) } as ChannelDto;
    if (patch.kind !== undefined || patch.target !== undefined) assertUsableTarget(next.kind, next.target);
    if (patch.jobIds !== undefined) await assertJobsExist(tx, next.jobIds);
    const changes = diff(before, next);
    delete changes.updatedAt;
    if (Object.keys(changes).length === 0) return before;
    const row = await tx.notificationChannel.update({
      where: { id: input.id },
      data: {
        name: next.name,
        kind: next.kind,
        target: next.target,
        events: next.events,
        allJobs: next.jobIds === null,
        jobIds: next.jobIds ?? [],
        enabled: next.enabled,
        updatedAt: new Date(),
      },
    });
    const summary =
      Object.keys(changes).length === 1 && "enabled" in changes
        ? `${next.enabled ? "Enabled" : "Disabled"} channel "${next.name}"`
        : `Updated channel "${next.name}": ${Object.keys(changes).join(", ")}`;
    await writeAudit(tx, { actor: admin, action: "channel.update", targetType: "channel", targetId: input.id, summary, changes });
    return toChannelDto(row);
  });
}
