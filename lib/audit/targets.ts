// Names for the targets of audit events: the jobs that still exist (the console links to them),
// and the users and tokens the events are about.
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import type { AuditEventDto } from "./schemas";

export interface AuditTargetNames {
  /** Jobs that are not deleted, by id. */
  jobs: Record<string, string>;
  /** Users' emails by id. */
  users: Record<string, string>;
  /** Tokens' names by id. */
  tokens: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function auditTargetNames({ actor, input }: { actor: Actor | null; input: { events: AuditEventDto[] } }): Promise<AuditTargetNames> {
  requireRole(actor, "operator");
  const idsOf = (type: string) => [...new Set(input.events.filter((event) => event.targetType === type && event.targetId && UUID.test(event.targetId)).map((event) => event.targetId!))];
  const db = await getPrisma();
  const [jobs, users, tokens] = await Promise.all([
    db.job.findMany({ where: { id: { in: idsOf("job") }, deletedAt: null }, select: { id: true, name: true } }),
    db.user.findMany({ where: { id: { in: idsOf("user") } }, select: { id: true, email: true } }),
    db.apiToken.findMany({ where: { id: { in: idsOf("token") } }, select: { id: true, name: true } }),
  ]);
  return {
    jobs: Object.fromEntries(jobs.map((job) => [job.id, job.name])),
    users: Object.fromEntries(users.map((user) => [user.id, user.email])),
    tokens: Object.fromEntries(tokens.map((token) => [token.id, token.name])),
  };
}
