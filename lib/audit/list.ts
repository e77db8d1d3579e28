import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { paginate, type Page } from "@/lib/http/pagination";
import { redactChanges } from "@/lib/secrets/redact";
import type { AuditEventDto, AuditQuery } from "./schemas";

export function toAuditDto({ seq: _seq, ...row }: {
  id: string;
  seq?: bigint;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: string;
  changes: unknown;
}): AuditEventDto {
  // Redacted again on the way out, for events written before credentials were redacted at write.
  const changes = row.changes as AuditEventDto["changes"];
  return { ...row, at: row.at.toISOString(), changes: changes ? redactChanges(changes) : null };
}

export async function listAudit({ actor, input }: { actor: Actor | null; input: AuditQuery }): Promise<Page<AuditEventDto>> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  const where = {
    ...(input.targetId ? { targetId: input.targetId } : {}),
    ...(input.actor ? { actor: { equals: input.actor, mode: "insensitive" as const } } : {}),
    ...(input.action ? { action: input.action } : {}),
  };
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { seq: "desc" }], ...paginate(input) }),
    db.auditEvent.count({ where }),
  ]);
  return { items: rows.map(toAuditDto), total, page: input.page, pageSize: input.pageSize };
}
