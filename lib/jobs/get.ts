import { getPrisma } from "@/lib/db";
import { toAuditDto } from "@/lib/audit/list";
import type { AuditEventDto } from "@/lib/audit/schemas";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { toExecutionDto } from "@/lib/executions/serialize";
import type { ExecutionDto } from "@/lib/executions/schemas";
import type { JobDto } from "./schemas";
import { toJobDto } from "./serialize";
import { findLiveJob } from "./store";

export interface JobDetailDto extends JobDto {
  recentExecutions: ExecutionDto[];
  audit: AuditEventDto[];
}

const RECENT = 20;
export const RECENT_AUDIT_EVENTS = RECENT;

export async function getJob({ actor, input }: { actor: Actor | null; input: { id: string } }): Promise<JobDetailDto> {
  requireRole(actor, "viewer");
  const db = await getPrisma();
  const job = await findLiveJob(db, input.id);
  const executions = await db.execution.findMany({
    where: { jobId: job.id },
    orderBy: [{ queuedAt: "desc" }, { id: "desc" }],
    take: RECENT,
  });
  const audit = await db.auditEvent.findMany({
    where: { targetId: job.id },
    orderBy: [{ at: "desc" }, { seq: "desc" }],
    take: RECENT,
  });
  return { ...toJobDto(job), recentExecutions: executions.map(toExecutionDto), audit: audit.map(toAuditDto) };
}
