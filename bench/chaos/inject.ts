// Self-test of the proofs (`--inject=duplicate,lost,double-call,stuck,lost-run-now`): after the
// run has settled, plant one known defect of each kind in the private database or the side table,
// so the run must fail and name exactly what was planted. A proof that cannot fail proves nothing.
import type pg from "pg";
import type { Hit } from "./sink";
import type { JobRef, RunNow } from "./workload";

export const INJECTIONS = ["duplicate", "lost", "double-call", "stuck", "lost-run-now"] as const;
export type Injection = (typeof INJECTIONS)[number];

interface Context {
  db: pg.Client;
  window: { start: number; end: number };
  jobs: JobRef[];
  runNows: RunNow[];
  hits: Hit[];
}

/** Copies one execution row with a new id and the given changes (SQL assignments on the copy). */
async function copyRow(db: pg.Client, id: string, changes: string): Promise<void> {
  await db.query("DROP TABLE IF EXISTS chaos_copy");
  await db.query("CREATE TEMP TABLE chaos_copy AS SELECT * FROM executions WHERE id = $1", [id]);
  await db.query(`UPDATE chaos_copy SET id = gen_random_uuid()${changes ? `, ${changes}` : ""}`);
  await db.query("INSERT INTO executions SELECT * FROM chaos_copy");
}

async function deleteWithRetries(db: pg.Client, id: string): Promise<void> {
  await db.query("DELETE FROM executions WHERE retry_of_id = $1", [id]);
  await db.query("DELETE FROM executions WHERE id = $1", [id]);
}

export async function inject(kinds: Injection[], context: Context): Promise<string[]> {
  const { db, window, jobs } = context;
  const ticks = jobs.filter((job) => job.kind === "tick");
  const planted: string[] = [];
  const fireRow = async (job: JobRef) => {
    const { rows } = await db.query<{ id: string; scheduled_for: Date }>(
      `SELECT id, scheduled_for FROM executions WHERE job_id = $1 AND trigger = 'schedule' AND scheduled_for BETWEEN $2 AND $3
       ORDER BY scheduled_for LIMIT 1 OFFSET 10`,
      [job.id, new Date(window.start), new Date(window.end)],
    );
    if (!rows[0]) throw new Error(`no fire row of ${job.name} in the window to plant a defect on`);
    return rows[0];
  };
  for (const kind of kinds) {
    switch (kind) {
      case "duplicate": {
        // The unique index would refuse an exact duplicate; this private database may lose it.
        const { rows: indexes } = await db.query<{ indexname: string }>(
          `SELECT indexname FROM pg_indexes WHERE tablename = 'executions' AND indexdef LIKE 'CREATE UNIQUE INDEX%(job_id, scheduled_for)%'`,
        );
        for (const { indexname } of indexes) await db.query(`DROP INDEX "${indexname}"`);
        const row = await fireRow(ticks[0]);
        await copyRow(db, row.id, "");
        planted.push(`duplicate: a second execution for ${ticks[0].name} at ${row.scheduled_for.toISOString()}`);
        break;
      }
      case "lost": {
        const row = await fireRow(ticks[1]);
        await deleteWithRetries(db, row.id);
        planted.push(`lost: deleted the execution of ${ticks[1].name} at ${row.scheduled_for.toISOString()}`);
        break;
      }
      case "double-call": {
        const { rows } = await db.query<{ id: string }>(`SELECT id FROM executions WHERE id = ANY($1::uuid[]) AND status = 'SUCCEEDED' LIMIT 1`, [
          context.hits.filter((hit) => hit.executionId).map((hit) => hit.executionId),
        ]);
        const hit = context.hits.find((candidate) => candidate.executionId === rows[0]?.id);
        if (!hit) throw new Error("no SUCCEEDED execution that called the side table");
        context.hits.push({ ...hit, at: hit.at + 1 });
        planted.push(`double-call: a second call from ${hit.executionId}`);
        break;
      }
      case "stuck": {
        const { rows } = await db.query<{ id: string }>(`SELECT id FROM executions WHERE trigger = 'manual' AND status = 'SUCCEEDED' LIMIT 1`);
        if (!rows[0]) throw new Error("no finished manual run to copy");
        await copyRow(db, rows[0].id, `status = 'RUNNING', finished_at = NULL, worker_id = 'chaos-gone.1', scheduled_for = scheduled_for + interval '1 millisecond'`);
        planted.push("stuck: a RUNNING execution owned by a worker that never existed");
        break;
      }
      case "lost-run-now": {
        const runNow = context.runNows.find((candidate) => candidate.kind === "manual");
        if (!runNow) throw new Error("no run-now to lose");
        await deleteWithRetries(db, runNow.executionId);
        planted.push(`lost-run-now: deleted execution ${runNow.executionId} of a run-now that answered 202`);
        break;
      }
    }
  }
  return planted;
}
