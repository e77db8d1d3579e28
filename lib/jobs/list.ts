import { getPrisma, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { paginate, type Page } from "@/lib/http/pagination";
import type { JobDto, JobFilter, JobListQuery } from "./schemas";
import { toJobDto } from "./serialize";

// Prisma hands `contains` to (I)LIKE unescaped; escape its wildcards so "100%" and "a_b" match literally.
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** The live jobs a list filter matches (bulk actions use it too). */
export function jobFilterWhere(filter: JobFilter): Prisma.JobWhereInput {
  return {
    deletedAt: null,
    ...(filter.query ? { name: { contains: likeLiteral(filter.query), mode: "insensitive" } } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.enabled !== undefined ? { enabled: filter.enabled } : {}),
    ...(filter.health ? { health: filter.health } : {}),
    ...(filter.lastStatus ? { lastStatus: filter.lastStatus } : {}),
  };
}

export async function listJobs({ actor, input }: { actor: Actor | null; input: JobListQuery }): Promise<Page<JobDto>> {
  requireRole(actor, "viewer");
  const where = jobFilterWhere(input);
  const db = await getPrisma();
  const [rows, total] = await Promise.all([
    db.job.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], ...paginate(input) }),
    db.job.count({ where }),
  ]);
  return { items: rows.map(toJobDto), total, page: input.page, pageSize: input.pageSize };
}
