// Query plans of the execution read paths with 1,000,000 executions: none may scan the table.
// The SQL mirrors what Prisma generates for the services (same WHERE, ORDER BY and LIMIT; counts
// are Prisma's `count({ orderBy, take })` subquery).
import pg from "pg";
import { report } from "./support";

const QUERIES: Record<string, string> = {
  "history, newest first": `SELECT * FROM executions ORDER BY queued_at DESC, id DESC LIMIT 50`,
  "history count (capped)": `SELECT count(*) FROM (SELECT id FROM executions ORDER BY queued_at DESC LIMIT 10001) t`,
  "history by status": `SELECT * FROM executions WHERE status = 'FAILED' ORDER BY queued_at DESC, id DESC LIMIT 50`,
  "history by status, count": `SELECT count(*) FROM (SELECT id FROM executions WHERE status = 'FAILED' ORDER BY queued_at DESC LIMIT 10001) t`,
  "history by type": `SELECT * FROM executions WHERE type = 'http.request' ORDER BY queued_at DESC, id DESC LIMIT 50`,
  "history by time range": `SELECT * FROM executions WHERE queued_at >= now() - interval '1 hour' AND queued_at < now() ORDER BY queued_at DESC, id DESC LIMIT 50`,
  "a job's history": `SELECT * FROM executions WHERE job_id = $1 ORDER BY queued_at DESC, id DESC LIMIT 50`,
  "a job's history by status": `SELECT * FROM executions WHERE job_id = $1 AND status = 'FAILED' ORDER BY queued_at DESC, id DESC LIMIT 50`,
  "one execution": `SELECT * FROM executions WHERE id = $2`,
  "active executions": `SELECT * FROM executions WHERE status IN ('QUEUED', 'RUNNING') ORDER BY scheduled_for, id LIMIT 1000`,
  "stats: active and queued": `SELECT status, count(*) FROM executions WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status`,
  "stats: last 24 h": `SELECT status, count(*) FROM executions WHERE finished_at >= now() - interval '24 hours' GROUP BY status`,
  "stats: durations": `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FROM executions WHERE finished_at >= now() - interval '24 hours' AND duration_ms IS NOT NULL`,
  "worker claim": `SELECT c.id FROM executions c LEFT JOIN jobs j ON j.id = c.job_id WHERE c.status = 'QUEUED' AND c.scheduled_for <= now() ORDER BY c.scheduled_for, c.queued_at LIMIT 64 FOR UPDATE OF c SKIP LOCKED`,
  "stalled sweep": `SELECT id FROM executions WHERE status = 'RUNNING' AND last_heartbeat_at < now() - interval '60 seconds' ORDER BY last_heartbeat_at LIMIT 1000`,
};

export async function plans(url: string, rows: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("TRUNCATE executions, jobs CASCADE");
  const { rows: jobs } = await client.query(`
    INSERT INTO jobs (name, type, schedule_type, created_by)
    SELECT 'plan job ' || g, 'demo.sleep', 'manual', 'bench' FROM generate_series(1, 1000) g RETURNING id`);
  // A realistic history: mostly finished, a few hundred active, 1,000 jobs plus ad-hoc runs, 90 days.
  await client.query(
    `INSERT INTO executions (job_id, job_name, type, status, trigger, triggered_by, scheduled_for, queued_at, started_at, finished_at, duration_ms, last_heartbeat_at)
     SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE ($1::uuid[])[1 + g % 1000] END, 'job', CASE WHEN g % 7 = 0 THEN 'http.request' ELSE 'demo.sleep' END,
            (CASE WHEN g <= 300 THEN 'QUEUED' WHEN g <= 400 THEN 'RUNNING' WHEN g % 20 = 0 THEN 'FAILED' WHEN g % 97 = 0 THEN 'CANCELLED' ELSE 'SUCCEEDED' END)::"ExecutionStatus",
            (CASE WHEN g % 5 = 0 THEN 'manual' ELSE 'schedule' END)::"ExecutionTrigger", 'bench',
            now() - (g || ' seconds')::interval * 7.776, now() - (g || ' seconds')::interval * 7.776,
            CASE WHEN g <= 300 THEN NULL ELSE now() - (g || ' seconds')::interval * 7.776 END,
            CASE WHEN g <= 400 THEN NULL ELSE now() - (g || ' seconds')::interval * 7.776 + interval '1 second' END,
            CASE WHEN g <= 400 THEN NULL ELSE 1000 END,
            CASE WHEN g BETWEEN 301 AND 400 THEN now() END
     FROM generate_series(1, ${rows}) g`,
    [jobs.map((job) => job.id)],
  );
  await client.query("ANALYZE executions");
  await client.query("ANALYZE jobs");
  const { rows: [sample] } = await client.query("SELECT id, job_id FROM executions WHERE job_id IS NOT NULL LIMIT 1");
  let scans = 0;
  for (const [name, sql] of Object.entries(QUERIES)) {
    const params = [sample.job_id, sample.id].slice(0, sql.includes("$2") ? 2 : sql.includes("$1") ? 1 : 0);
    const padded = sql.includes("$2") && !sql.includes("$1") ? sql.replace("$2", "$1") : sql;
    const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF, SUMMARY ON) ${padded}`, sql.includes("$2") && !sql.includes("$1") ? [sample.id] : params);
    const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
    const seqScan = /Seq Scan on executions/.test(text);
    scans += seqScan ? 1 : 0;
    const time = /Execution Time: ([\d.]+) ms/.exec(text)?.[1];
    console.log(`\n-- ${name} (${time} ms)${seqScan ? "  <-- SEQUENTIAL SCAN" : ""}\n${text.split("\n").filter((line) => !/Planning|Execution Time/.test(line)).join("\n")}`);
  }
  await client.query("TRUNCATE executions, jobs CASCADE");
  await client.end();
  report(`execution read queries with ${rows.toLocaleString("en")} rows doing a sequential scan`, `${scans} of ${Object.keys(QUERIES).length}`, "0", scans === 0);
}
