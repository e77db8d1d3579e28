import { JOB_COLUMNS, Prisma, queryRows, type Job } from "@/lib/db";
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

/** jobFilterWhere as SQL, for the list's single statement; the two must match the same jobs. */
function jobFilterSql(filter: JobFilter): Prisma.Sql {
  const conditions = [Prisma.sql`deleted_at IS NULL`];
  if (filter.query) conditions.push(Prisma.sql`name ILIKE ${`%${likeLiteral(filter.query)}%`}`);
  if (filter.type) conditions.push(Prisma.sql`type = ${filter.type}`);
  if (filter.enabled !== undefined) conditions.push(Prisma.sql`enabled = ${filter.enabled}`);
  if (filter.health) conditions.push(Prisma.sql`health = ${filter.health}::"JobHealth"`);
  if (filter.lastStatus) conditions.push(Prisma.sql`last_status = ${filter.lastStatus}::"ExecutionStatus"`);
  return Prisma.join(conditions, " AND ");
}

/**
 * One page and the total in one statement, one round trip instead of two: the count beside a
 * lateral page, so a page beyond the end still says the total (one row with no job in it).
 */
export async function listJobs({ actor, input }: { actor: Actor | null; input: JobListQuery }): Promise<Page<JobDto>> {
  requireRole(actor, "viewer");
  const where = jobFilterSql(input);
  const { skip, take } = paginate(input);
  const rows = await queryRows<Job & { total: number }>(Prisma.sql`
    SELECT counted.total, page.*
    FROM (SELECT count(*)::int AS total FROM jobs WHERE ${where}) counted
    LEFT JOIN LATERAL (
      SELECT ${JOB_COLUMNS} FROM jobs WHERE ${where} ORDER BY name ASC, id ASC LIMIT ${take} OFFSET ${skip}
    ) page ON true`);
  const jobs = rows.filter((row) => row.id !== null);
  return { items: jobs.map(toJobDto), total: rows[0]?.total ?? 0, page: input.page, pageSize: input.pageSize };
}
