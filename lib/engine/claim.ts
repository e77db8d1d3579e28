// Claiming queued executions for a worker: a conditional update of rows locked with SKIP LOCKED,
// so an execution is claimed once however many workers ask, and workers never wait for each
// other. The due window is the SQL function tickwork_claim_window (its migrations say why: a plan
// that does not depend on fresh statistics, and a run is due by the claim's own time). A claim is
// one statement unless that window holds runs of a lane. Jobs with the queue/replace overlap
// policy run one execution at a time: each such job is claimed in a transaction under an advisory
// lock of its own (tried, never waited for), and its RUNNING check is repeated once the lock is
// held. A job's backfill runs go one at a time the same way, under a second lock space, whatever
// the job's overlap policy.
//
// A claim can commit and still fail for the worker: the connection breaks (a network cut, a
// restart of PostgreSQL) after the commit and before its answer arrives. Its runs are then RUNNING
// on a worker that never heard of them, and would end STALLED although nothing ran. So every claim
// stamps its runs with a time of its own (started_at, unique per process), and a worker whose
// claim failed gives back, before it claims again, the runs stamped with that time that it does
// not hold (giveBackClaims). A worker that stops while a claim is in flight gives back what it
// took the same way, unstarted.
import { executionColumns, getPrisma, Prisma, queryRows, type Execution, type Tx } from "@/lib/db";
import { publish } from "@/lib/events/bus";
import { summarize } from "@/lib/executions/summary";
import { observeFireLag } from "@/lib/metrics";

/** The advisory lock spaces (first key) of the per-job claim locks; the second key is hashtext(job id). */
const SERIAL_CLAIM_LOCK_SPACE = 7406;
const BACKFILL_CLAIM_LOCK_SPACE = 7407;

const EXECUTION_COLUMNS = executionColumns();
const CLAIMED_COLUMNS = executionColumns("e");

interface Candidate {
  id: string;
  job_id: string | null;
  serial: boolean;
  backfill: boolean;
}

/** What one-at-a-time a candidate is subject to: all runs of its job, its job's backfill runs, or none. */
const lane = (candidate: Candidate) =>
  !candidate.job_id ? null : candidate.serial ? "serial" : candidate.backfill ? "backfill" : null;

let lastClaimAt = 0;

/** A claim's time, later than every earlier claim's in this process, so it names that claim's runs (with the worker id). */
export function claimTime(): Date {
  lastClaimAt = Math.max(Date.now(), lastClaimAt + 1);
  return new Date(lastClaimAt);
}

/**
 * Claims up to `limit` due executions, oldest first. Most are free (no lane): one statement picks
 * the due window, claims the free ones in it and counts the lane ones, so a claim is one round
 * trip. Only when the window held lane runs does the transaction below run, which takes their
 * per-job locks; it claims free runs too, so lane runs keep their place in the due order.
 */
export async function claimExecutions(workerId: string, limit: number, now: Date = claimTime()): Promise<Execution[]> {
  if (limit <= 0) return [];
  const rows = await queryRows<Execution & { laneCandidates: number }>(Prisma.sql`
    WITH picked AS (
      SELECT id, job_id IS NOT NULL AND (serial OR backfill) AS lane FROM tickwork_claim_window(${limit}::int, ${now}::timestamptz)
    ), claimed AS (
      UPDATE executions e
      SET ${claimedBy(workerId, now)}
      FROM picked p
      WHERE e.id = p.id AND NOT p.lane
      RETURNING ${CLAIMED_COLUMNS}
    )
    SELECT claimed.*, lanes.count AS "laneCandidates"
    FROM (SELECT count(*) FILTER (WHERE lane)::int AS count FROM picked) lanes LEFT JOIN claimed ON true`);
  const claimed: Execution[] = rows.filter((row) => row.id !== null).map(({ laneCandidates: _, ...execution }) => execution);
  if ((rows[0]?.laneCandidates ?? 0) > 0 && claimed.length < limit) {
    claimed.push(...(await claimWithLanes(workerId, limit - claimed.length, now)));
  }
  claimed.sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
  observeFireLag(claimed);
  return claimed;
}

/** The SET of a claim: RUNNING on this worker from `now`, with the time it waited past its due time. */
const claimedBy = (workerId: string, now: Date) => Prisma.sql`
  status = 'RUNNING', worker_id = ${workerId}, started_at = ${now}, last_heartbeat_at = ${now},
  queue_delay_ms = GREATEST(0, floor(extract(epoch FROM (${now}::timestamptz - scheduled_for)) * 1000))::int`;

/** The claim with lanes: a transaction that holds the per-job locks of the lane runs it picks. */
async function claimWithLanes(workerId: string, limit: number, now: Date): Promise<Execution[]> {
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const candidates = await tx.$queryRaw<Candidate[]>`SELECT id, job_id, serial, backfill FROM tickwork_claim_window(${limit}::int, ${now}::timestamptz)`;
    const picked = oneRunPerLane(candidates);
    const serialJobs = picked.filter((c) => lane(c) === "serial").map((c) => c.job_id!);
    const backfillJobs = picked.filter((c) => lane(c) === "backfill").map((c) => c.job_id!);
    const free = new Set([
      ...(serialJobs.length > 0 ? await lockIdleJobs(tx, SERIAL_CLAIM_LOCK_SPACE, serialJobs) : []),
      ...(backfillJobs.length > 0 ? (await lockIdleJobs(tx, BACKFILL_CLAIM_LOCK_SPACE, backfillJobs)).map((id) => `backfill:${id}`) : []),
    ]);
    const ids = picked
      .filter((c) => lane(c) === null || free.has(lane(c) === "serial" ? c.job_id! : `backfill:${c.job_id}`))
      .map((c) => c.id);
    if (ids.length === 0) return [];
    // The claimed rows as they are now (read back through the ORM, they cost as much again).
    return tx.$queryRaw<Execution[]>`
      UPDATE executions SET ${claimedBy(workerId, now)}
      WHERE id = ANY(${ids}::uuid[]) AND status = 'QUEUED'
      RETURNING ${EXECUTION_COLUMNS}`;
  });
}

/**
 * Puts back in the queue the runs that the claims made at `claimTimes` by this worker took and the
 * worker never started: the claims failed (they may have committed without the worker hearing so),
 * or the worker stopped while they were in flight. Runs it holds are left alone. A run is only
 * released while it is RUNNING on this worker with that claim's start time, so a run that another
 * claim has taken since, or one this worker runs, is never touched. Returns how many.
 */
export async function giveBackClaims(workerId: string, claimTimes: Date[], held: string[]): Promise<number> {
  if (claimTimes.length === 0) return 0;
  const released = await backToQueue({ workerId, startedAt: { in: claimTimes }, id: { notIn: held } });
  return released.length;
}

/**
 * Puts the RUNNING runs that `where` matches back in the queue as if never started (no worker, no
 * start, no progress), with `data` besides, and tells the console. The one way back to QUEUED: a
 * claim given back, a run requeued at shutdown or at the end of an HTTP tick's budget.
 */
export async function backToQueue(where: Prisma.ExecutionWhereInput, data: Prisma.ExecutionUpdateManyMutationInput = {}): Promise<Execution[]> {
  const db = await getPrisma();
  const rows = await db.execution.updateManyAndReturn({
    where: { ...where, status: "RUNNING" },
    data: { status: "QUEUED", workerId: null, startedAt: null, lastHeartbeatAt: null, queueDelayMs: null, progressPercent: null, progressMessage: null, ...data },
  });
  if (rows.length > 0) await publish(...rows.map((row) => ({ name: "execution.queued" as const, data: summarize(row) })));
  return rows;
}

/**
 * The jobs this transaction may start a run of in a lane: their claim lock in that lane's space
 * was free, and with the lock held (a new statement, so a new snapshot) none has a RUNNING
 * execution of that lane (any run for serial jobs, a backfill run for backfills), also not one
 * that another claim committed after this transaction's first query.
 */
async function lockIdleJobs(tx: Tx, space: number, jobIds: string[]): Promise<string[]> {
  const locked = await tx.$queryRaw<{ job_id: string }[]>`
    SELECT job_id FROM unnest(${jobIds}::uuid[]) AS job_id
    WHERE pg_try_advisory_xact_lock(${space}::int, hashtext(job_id::text))`;
  if (locked.length === 0) return [];
  const backfillOnly = space === BACKFILL_CLAIM_LOCK_SPACE;
  const busy = await tx.$queryRaw<{ job_id: string }[]>`
    SELECT DISTINCT job_id FROM executions
    WHERE job_id = ANY(${locked.map((row) => row.job_id)}::uuid[]) AND status = 'RUNNING' AND (NOT ${backfillOnly} OR trigger = 'backfill')`;
  const running = new Set(busy.map((row) => row.job_id));
  return locked.map((row) => row.job_id).filter((id) => !running.has(id));
}

function oneRunPerLane(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const kind = lane(candidate);
    if (!kind) return true;
    const key = `${kind}:${candidate.job_id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** When the next queued execution becomes due, if within the next minute. */
export async function nextScheduledTime(): Promise<Date | null> {
  const [row] = await queryRows<{ at: Date | null }>(Prisma.sql`
    SELECT min(scheduled_for) AS at FROM executions
    WHERE status = 'QUEUED' AND scheduled_for > now() AND scheduled_for < now() + interval '1 minute'`);
  return row?.at ?? null;
}
