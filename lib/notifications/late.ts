// Late runs: a scheduled execution still QUEUED `lateAfterMs` (60 s) after its scheduledFor. Each is
// noticed once: its mark in late_notices (primary key: the execution) is inserted in the same
// transaction as its deliveries, so two instances looking at once, or a crash, never report one
// twice or lose one. The runs' jobs are locked first (the engine's lock order), skipping jobs a tick
// or completion holds: those are looked at again on the next check. Checked every few seconds, so
// a run that starts between the 60 s mark and the next check is not reported.
import { getPrisma } from "@/lib/db";
import type { NotifierConfig } from "./config";
import { enqueueNotifications } from "./outbox";

const BATCH = 500;

export async function noticeLateRuns(config: Pick<NotifierConfig, "lateAfterMs">, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - config.lateAfterMs);
  const db = await getPrisma();
  // Nothing to do, and nothing marked, while no channel listens: runs still late when one does are reported then.
  const listening = await db.notificationChannel.count({ where: { enabled: true, events: { has: "late" } } });
  if (listening === 0) return 0;
  return db.$transaction(async (tx) => {
    const jobs = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM jobs WHERE id IN (
        SELECT e.job_id FROM executions e
        WHERE e.status = 'QUEUED' AND e.trigger = 'schedule' AND e.scheduled_for < ${cutoff} AND e.job_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM late_notices n WHERE n.execution_id = e.id)
        LIMIT ${BATCH})
      ORDER BY id FOR NO KEY UPDATE SKIP LOCKED`;
    if (jobs.length === 0) return 0;
    const marked = await tx.$queryRaw<{ execution_id: string }[]>`
      INSERT INTO late_notices (execution_id, noticed_at)
      SELECT e.id, ${now} FROM executions e
      WHERE e.job_id = ANY(${jobs.map((job) => job.id)}::uuid[]) AND e.status = 'QUEUED' AND e.trigger = 'schedule' AND e.scheduled_for < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM late_notices n WHERE n.execution_id = e.id)
      LIMIT ${BATCH}
      ON CONFLICT DO NOTHING
      RETURNING execution_id::text AS execution_id`;
    if (marked.length === 0) return 0;
    const executions = await tx.execution.findMany({ where: { id: { in: marked.map((row) => row.execution_id) } }, include: { job: true }, orderBy: { scheduledFor: "asc" } });
    await enqueueNotifications(
      tx,
      executions.map(({ job, ...execution }) => ({ event: "late" as const, at: now, job: job!, execution })),
      now,
    );
    return executions.length;
  }, { timeout: 30_000 });
}
