import { getPrisma, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { paginate, type Page } from "@/lib/http/pagination";
import type { JobDto, JobListQuery } from "./schemas";
import { toJobDto } from "./serialize";

// Prisma hands `contains` to (I)LIKE unescaped; escape its wildcards so "100%" and "a_b" match literally.
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export async function listJobs({ actor, input }: { actor: Actor | null; input: JobListQuery }): Promise<Page<JobDto>> {
  requireRole(actor, "viewer");
  const where: Prisma.JobWhereInput = {
    deletedAt: null,
    ...(input.query ? { name: { contains: likeLiteral(input.query), mode: "insensitive" } } : {}),
    ...(input.type ? { type: input.type } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.health ? { health: input.health } : {}),
    ...(input.lastStatus ? { lastStatus: input.lastStatus } : {}),
  };
  const db = await getPrisma();
  const [rows, total] = await Promise.all([
    db.job.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], ...paginate(input) }),
    db.job.count({ where }),
  ]);
  return { items: rows.map(toJobDto), total, page: input.page, pageSize: input.pageSize };
}
