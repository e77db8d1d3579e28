// Execution history and details. Counts stop at COUNT_LIMIT so a page never scans the whole
// history: past that, `total` is COUNT_LIMIT and `totalCapped` is true ("10,000+").
import { z } from "zod";
import { getPrisma, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { PageQuery, paginate, type Page } from "@/lib/http/pagination";
import { EXECUTION_STATUSES, EXECUTION_TRIGGERS } from "@/lib/jobs/schemas";
import type { ExecutionDto } from "./schemas";
import { toExecutionDto } from "./serialize";
import { ACTIVE_LIMIT } from "./status";

export const COUNT_LIMIT = 10_000;

const Instant = z.iso.datetime({ offset: true, message: "Use an ISO-8601 date and time" });

export const ExecutionListQuery = PageQuery.extend({
  jobId: z.uuid().optional(),
  type: z.string().max(100).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  trigger: z.enum(EXECUTION_TRIGGERS).optional(),
  parentExecutionId: z.uuid().optional().describe("Only the runs this execution's finish created (trigger chain)"),
  from: Instant.optional().describe("Queued at or after"),
  to: Instant.optional().describe("Queued before"),
});
export type ExecutionListQuery = z.infer<typeof ExecutionListQuery>;

export const JobExecutionsQuery = PageQuery.extend({
  status: z.enum(EXECUTION_STATUSES).optional(),
  trigger: z.enum(EXECUTION_TRIGGERS).optional(),
});
export type JobExecutionsQuery = z.infer<typeof JobExecutionsQuery>;

export type ExecutionPage = Page<ExecutionDto> & { totalCapped: boolean };

export async function listExecutions({ actor, input }: { actor: Actor | null; input: ExecutionListQuery }): Promise<ExecutionPage> {
  requireRole(actor, "viewer");
  const where: Prisma.ExecutionWhereInput = {
    ...(input.jobId ? { jobId: input.jobId } : {}),
    ...(input.type ? { type: input.type } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.trigger ? { trigger: input.trigger } : {}),
    ...(input.parentExecutionId ? { parentExecutionId: input.parentExecutionId } : {}),
    ...(input.from || input.to
      ? { queuedAt: { ...(input.from ? { gte: new Date(input.from) } : {}), ...(input.to ? { lt: new Date(input.to) } : {}) } }
      : {}),
  };
  return page(where, input);
}

export async function listJobExecutions({ actor, input }: { actor: Actor | null; input: { jobId: string } & JobExecutionsQuery }): Promise<ExecutionPage> {
  requireRole(actor, "viewer");
  const db = await getPrisma();
  const job = await db.job.findFirst({ where: { id: input.jobId, deletedAt: null }, select: { id: true } });
  if (!job) throw notFound("Job");
  return page({ jobId: input.jobId, ...(input.status ? { status: input.status } : {}), ...(input.trigger ? { trigger: input.trigger } : {}) }, input);
}

async function page(where: Prisma.ExecutionWhereInput, input: PageQuery): Promise<ExecutionPage> {
  const db = await getPrisma();
  const [rows, counted] = await Promise.all([
    db.execution.findMany({ where, orderBy: [{ queuedAt: "desc" }, { id: "desc" }], ...paginate(input) }),
    // Ordered like the page so the count walks the same index and stops at the cap.
    db.execution.count({ where, orderBy: [{ queuedAt: "desc" }], take: COUNT_LIMIT + 1 }),
  ]);
  return {
    items: rows.map(toExecutionDto),
    total: Math.min(counted, COUNT_LIMIT),
    totalCapped: counted > COUNT_LIMIT,
    page: input.page,
    pageSize: input.pageSize,
  };
}

export async function getExecution({ actor, input }: { actor: Actor | null; input: { id: string; jobId?: string } }): Promise<ExecutionDto> {
  requireRole(actor, "viewer");
  const db = await getPrisma();
  if (input.jobId !== undefined) {
    // Through its job, the job must be live too: a soft-deleted job is gone from reads.
    const job = await db.job.findFirst({ where: { id: input.jobId, deletedAt: null }, select: { id: true } });
    if (!job) throw notFound("Job");
  }
  const row = await db.execution.findUnique({ where: { id: input.id } });
  if (!row || (input.jobId !== undefined && row.jobId !== input.jobId)) throw notFound("Execution");
  return toExecutionDto(row);
}

export { ACTIVE_LIMIT };

/** The oldest ACTIVE_LIMIT active executions; `truncated` says there are more. */
export async function activeExecutions({ actor }: { actor: Actor | null }): Promise<{ items: ExecutionDto[]; truncated: boolean }> {
  requireRole(actor, "viewer");
  const rows = await loadActive(ACTIVE_LIMIT + 1);
  return { items: rows.slice(0, ACTIVE_LIMIT).map(toExecutionDto), truncated: rows.length > ACTIVE_LIMIT };
}

/** QUEUED and RUNNING executions, oldest first; the SSE snapshot uses it too. */
export async function loadActive(limit = ACTIVE_LIMIT) {
  const db = await getPrisma();
  return db.execution.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] } },
    orderBy: [{ scheduledFor: "asc" }, { id: "asc" }],
    take: limit,
  });
}
