// Stalled recovery: a RUNNING execution whose heartbeat is older than the stall timeout lost its
// worker (crash, SIGKILL, network split). It fails with STALLED (and is retried if attempts remain);
// one that was being cancelled ends CANCELLED. The stale runs' jobs are locked before the runs
// themselves (the engine's one lock order), and runs another transaction holds are skipped.
import { getPrisma, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { publish } from "@/lib/events/bus";
import { countFinished } from "@/lib/metrics";
import { CHAIN_LISTS_SHARED } from "@/lib/jobs/chains";
import { completeInTx, completionEvents, type Completion, type CompletionRequest, type Outcome } from "./complete";

import { engineConfig } from "./config";

const SWEEP_LIMIT = 1000;

async function sweepInTx(tx: Tx, now: Date, stallMs: number): Promise<Completion[]> {
  const staleBefore = new Date(now.getTime() - stallMs);
  // The chain lists shared before any row lock, as in every completion: the runs it ends may chain to other jobs.
  await tx.$queryRaw`
    SELECT id FROM jobs WHERE id IN (
      SELECT job_id FROM executions WHERE status = 'RUNNING' AND last_heartbeat_at < ${staleBefore}
      ORDER BY last_heartbeat_at LIMIT ${SWEEP_LIMIT}) AND ${CHAIN_LISTS_SHARED}
    ORDER BY id FOR NO KEY UPDATE`;
  const stale = await tx.$queryRaw<{ id: string; cancel_requested_at: Date | null; last_heartbeat_at: Date; worker_id: string | null }[]>`
    SELECT id, cancel_requested_at, last_heartbeat_at, worker_id FROM executions
    WHERE status = 'RUNNING' AND last_heartbeat_at < ${staleBefore}
    ORDER BY last_heartbeat_at
    LIMIT ${SWEEP_LIMIT}
    FOR UPDATE SKIP LOCKED`;
  const requests = stale.map((row): CompletionRequest => {
    const seconds = Math.round((now.getTime() - row.last_heartbeat_at.getTime()) / 1000);
    const outcome: Outcome = row.cancel_requested_at
      ? { status: "CANCELLED", message: `Cancelled; its worker ${row.worker_id} stopped responding` }
      : { status: "FAILED", code: "STALLED", message: `No heartbeat from worker ${row.worker_id} for ${seconds}s` };
    return { id: row.id, outcome };
  });
  const completions = await completeInTx(tx, requests, now);
  return completions;
}

export async function sweepStalled(now = new Date(), stallMs = engineConfig().stallMs): Promise<Completion[]> {
  const db = await getPrisma();
  const completions = await db.$transaction((tx) => sweepInTx(tx, now, stallMs), { timeout: 60_000 });
  countFinished(completions.map(({ execution }) => execution));
  await publish(...completions.flatMap(completionEvents));
  return completions;
}

/** POST /api/executions/cleanup-stalled: the sweep, now, audited in the same transaction. */
export async function cleanupStalled({ actor }: { actor: Actor | null }) {
  const admin = requireRole(actor, "admin");
  const db = await getPrisma();
  const completions = await db.$transaction(async (tx) => {
    const swept = await sweepInTx(tx, new Date(), engineConfig().stallMs);
    await writeAudit(tx, {
      actor: admin,
      action: "executions.cleanup_stalled",
      targetType: "system",
      targetId: null,
      summary: swept.length === 0 ? "Cleaned up stalled executions: none found" : `Cleaned up ${swept.length} stalled execution(s)`,
      changes: swept.length ? { cleaned: { from: null, to: swept.map(({ execution }) => execution.id) } } : undefined,
    });
    return swept;
  }, { timeout: 60_000 });
  countFinished(completions.map(({ execution }) => execution));
  await publish(...completions.flatMap(completionEvents));
  return { cleaned: completions.map(({ execution }) => ({ id: execution.id, jobName: execution.jobName, status: execution.status })) };
}
