// Claiming queued executions for a worker: a conditional update of rows locked with SKIP LOCKED,
// so an execution is claimed once however many workers ask. Claims take a short transaction
// lock so that jobs with the queue/replace overlap policy never start two runs at once.
import { getPrisma, type Execution } from "@/lib/db";

const CLAIM_LOCK_KEY = 7_406_512_932;

export async function claimExecutions(workerId: string, limit: number): Promise<Execution[]> {
  if (limit <= 0) return [];
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`;
    const candidates = await tx.$queryRaw<{ id: string; job_id: string | null; serial: boolean }[]>`
      SELECT c.id, c.job_id, COALESCE(j.overlap_policy IN ('queue', 'replace'), false) AS serial
      FROM executions c
      LEFT JOIN jobs j ON j.id = c.job_id
      WHERE c.status = 'QUEUED' AND c.scheduled_for <= now()
        AND (j.overlap_policy IS NULL OR j.overlap_policy IN ('skip', 'allow')
             OR NOT EXISTS (SELECT 1 FROM executions r WHERE r.job_id = c.job_id AND r.status = 'RUNNING'))
      ORDER BY c.scheduled_for, c.queued_at
      LIMIT ${limit}
      FOR UPDATE OF c SKIP LOCKED`;
    const ids = oneRunPerSerialJob(candidates);
    if (ids.length === 0) return [];
    const now = new Date();
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      UPDATE executions
      SET status = 'RUNNING', worker_id = ${workerId}, started_at = ${now}, last_heartbeat_at = ${now},
          queue_delay_ms = GREATEST(0, floor(extract(epoch FROM (${now}::timestamptz - scheduled_for)) * 1000))::int
      WHERE id = ANY(${ids}::uuid[]) AND status = 'QUEUED'
      RETURNING id`;
    return tx.execution.findMany({ where: { id: { in: claimed.map((row) => row.id) } }, orderBy: { scheduledFor: "asc" } });
  });
}

function oneRunPerSerialJob(candidates: { id: string; job_id: string | null; serial: boolean }[]): string[] {
  const seen = new Set<string>();
  return candidates
    .filter((candidate) => {
      if (!candidate.serial || !candidate.job_id) return true;
      if (seen.has(candidate.job_id)) return false;
      seen.add(candidate.job_id);
      return true;
    })
    .map((candidate) => candidate.id);
}

/** When the next queued execution becomes due, if within the next minute. */
export async function nextScheduledTime(): Promise<Date | null> {
  const db = await getPrisma();
  const [row] = await db.$queryRaw<{ at: Date | null }[]>`
    SELECT min(scheduled_for) AS at FROM executions
    WHERE status = 'QUEUED' AND scheduled_for > now() AND scheduled_for < now() + interval '1 minute'`;
  return row?.at ?? null;
}
