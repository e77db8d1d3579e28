// Who has acted so far: the audit page offers these as suggestions for its actor filter.
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";

const MAX_ACTORS = 200;

export async function listAuditActors({ actor }: { actor: Actor | null }): Promise<string[]> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  // groupBy is a SQL GROUP BY (served by the actor index); findMany's `distinct` would dedupe in memory.
  const rows = await db.auditEvent.groupBy({ by: ["actor"], orderBy: { actor: "asc" }, take: MAX_ACTORS });
  return rows.map((row) => row.actor);
}
