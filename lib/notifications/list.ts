// Reading channels (operator): all of them, one, and the ones that watch a given job.
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import type { ChannelDto } from "./schemas";
import { toChannelDto } from "./store";

export async function listChannels({ actor }: { actor: Actor | null }): Promise<ChannelDto[]> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  return (await db.notificationChannel.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toChannelDto);
}

export async function getChannel({ actor, input }: { actor: Actor | null; input: { id: string } }): Promise<ChannelDto> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  const row = await db.notificationChannel.findUnique({ where: { id: input.id } });
  if (!row) throw notFound("Channel");
  return toChannelDto(row);
}

/** The channels that watch a job (every job, or it by id), for the job's page. */
export async function channelsWatchingJob({ actor, input }: { actor: Actor | null; input: { jobId: string } }): Promise<ChannelDto[]> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  const rows = await db.notificationChannel.findMany({
    where: { OR: [{ allJobs: true }, { jobIds: { has: input.jobId } }] },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  return rows.map(toChannelDto);
}

/** The jobs a channel may watch, for the console's picker: live jobs by name, at most `limit`. */
export async function watchableJobs({ actor, input = {} }: { actor: Actor | null; input?: { limit?: number } }): Promise<{ id: string; name: string }[]> {
  requireRole(actor, "admin");
  const db = await getPrisma();
  return db.job.findMany({ where: { deletedAt: null }, select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }], take: input.limit ?? 1000 });
}
