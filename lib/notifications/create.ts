// POST /api/channels: a new channel and its signing secret, shown in this answer only. Audited.
import crypto from "node:crypto";
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import type { ChannelInput, CreatedChannelDto } from "./schemas";
import { assertJobsExist, assertUsableTarget, newSecret, toChannelDto } from "./store";

export async function createChannel({ actor, input }: { actor: Actor | null; input: ChannelInput }): Promise<CreatedChannelDto> {
  const admin = requireRole(actor, "admin");
  assertUsableTarget(input.kind, input.target);
  const id = crypto.randomUUID();
  const { secret, columns } = newSecret(id);
  const db = await getPrisma();
  const row = await db.$transaction(async (tx) => {
    await assertJobsExist(tx, input.jobIds);
    const created = await tx.notificationChannel.create({
      data: {
        id,
        name: input.name,
        kind: input.kind,
        target: input.target,
        events: input.events,
        allJobs: input.jobIds === null,
        jobIds: input.jobIds ?? [],
        enabled: input.enabled,
        createdBy: admin.name,
        ...columns,
      },
    });
    const dto = toChannelDto(created);
    await writeAudit(tx, {
      actor: admin,
      action: "channel.create",
      targetType: "channel",
      targetId: id,
      summary: `Created ${input.kind} channel "${input.name}"`,
      changes: Object.fromEntries(
        (["name", "kind", "target", "events", "jobIds", "enabled"] as const).map((field) => [field, { from: null, to: dto[field] }]),
      ),
    });
    return created;
  });
  return { ...toChannelDto(row), secret };
}
