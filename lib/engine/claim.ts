// Claiming queued executions for a worker: a conditional update of rows locked with SKIP LOCKED,
// so an execution is claimed once however many workers ask, and workers never wait for each
// other. Jobs with the queue/replace overlap policy run one execution at a time: each such job is
// claimed under a transaction-scoped advisory lock of its own (tried, never waited for), and its
// RUNNING check is repeated once the lock is held.
import { getPrisma, type Execution, type Tx } from "@/lib/db";
import { observeFireLag } from "@/lib/metrics";

/** The advisory lock space (first key) of the per-job claim locks; the second key is hashtext(job id). */
const SERIAL_CLAIM_LOCK_SPACE = 7406;

interface Candidate {
  id: string;
  job_id: string | null;
  serial: boolean;
}

export async function claimExecutions(workerId: string, limit: number): Promise<Execution[]> {
  if (limit <= 0) return [];
  const db = await getPrisma();
  const claimed = await db.$transaction(async (tx) => {
    const candidates = await tx.$queryRaw<Candidate[]>`
      SELECT c.id, c.job_id, COALESCE(j.overlap_policy IN ('queue', 'replace'), false) AS serial
      FROM executions c
      LEFT JOIN jobs j ON j.id = c.job_id
      WHERE c.status = 'QUEUED' AND c.scheduled_for <= now()
        AND (j.overlap_policy IS NULL OR j.overlap_policy IN ('skip', 'allow')
             OR NOT EXISTS (SELECT 1 FROM executions r WHERE r.job_id = c.job_id AND r.status = 'RUNNING'))
      ORDER BY c.scheduled_for, c.queued_at
      LIMIT ${limit}
      FOR UPDATE OF c SKIP LOCKED`;
    const picked = oneRunPerSerialJob(candidates);
    const serialJobs = picked.filter((c) => c.serial && c.job_id).map((c) => c.job_id!);
    const free = serialJobs.length > 0 ? await lockIdleSerialJobs(tx, serialJobs) : new Set<string>();
    const ids = picked.filter((c) => !c.serial || !c.job_id || free.has(c.job_id)).map((c) => c.id);
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
  observeFireLag(claimed);
  return claimed;
}

/**
 * The serial jobs this transaction may start a run of: their claim lock was free, and with the lock
 * held (a new statement, so a new snapshot) none has a RUNNING execution, also not one that
 * another claim committed after this transaction's first query.
 */
async function lockIdleSerialJobs(tx: Tx, jobIds: string[]) {
  const locked = await tx.$queryRaw<{ job_id: string }[]>`
    SELECT job_id FROM unnest(${jobIds}::uuid[]) AS job_id
    WHERE pg_try_advisory_xact_lock(${SERIAL_CLAIM_LOCK_SPACE}::int, hashtext(job_id::text))`;
  if (locked.length === 0) return new Set<string>();
  const busy = await tx.$queryRaw<{ job_id: string }[]>`
    SELECT DISTINCT job_id FROM executions WHERE job_id = ANY(${locked.map((row) => row.job_id)}::uuid[]) AND status = 'RUNNING'`;
  const running = new Set(busy.map((row) => row.job_id));
  return new Set(locked.map((row) => row.job_id).filter((id) => !running.has(id)));
}

function oneRunPerSerialJob(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (!candidate.serial || !candidate.job_id) return true;
    if (seen.has(candidate.job_id)) return false;
    seen.add(candidate.job_id);
    return true;
  });
}

/** When the next queued execution becomes due, if within the next minute. */
export async function nextScheduledTime(): Promise<Date | null> {
  const db = await getPrisma();
  const [row] = await db.$queryRaw<{ at: Date | null }[]>`
    SELECT min(scheduled_for) AS at FROM executions
    WHERE status = 'QUEUED' AND scheduled_for > now() AND scheduled_for < now() + interval '1 minute'`;
  return row?.at ?? null;
}
