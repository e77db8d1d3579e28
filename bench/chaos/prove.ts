// The proofs, from SQL reads of the executions table and the side table's calls, once the
// engine has settled. Each proof is a figure that must be zero (or a statement that must hold);
// figures that are allowed by the contract are printed beside them, not counted as failures.
import type pg from "pg";
import type { Hit } from "./sink";
import type { Incarnation, LogCheck } from "./instances";
import type { CancelCall, JobRef, RunNow } from "./workload";
import { percentile } from "./util";

export interface Figure {
  name: string;
  value: string;
  /** true: holds; false: a proof failed; null: printed for information. */
  ok: boolean | null;
}

export interface ExecutionRow {
  id: string;
  job_id: string | null;
  status: string;
  trigger: string;
  attempt: number;
  retry_of_id: string | null;
  scheduled_for: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error_code: string | null;
  error_message: string | null;
  worker_id: string | null;
  has_result: boolean;
}

export interface ProofInput {
  db: pg.Client;
  window: { start: number; end: number };
  jobs: JobRef[];
  runNows: RunNow[];
  cancels: CancelCall[];
  hits: Hit[];
  incarnations: Incarnation[];
  /** When clean stops began (a requeued run may call again with the same id). */
  cleanStops: number[];
  logCheck: LogCheck;
  /** How late a QUEUED row may be before it counts as stuck. */
  queuedGraceMs: number;
  perJob: boolean;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED"]);
const count = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const tally = (map: Map<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n}`)
    .join(", ") || "none";
const statusOf = (row: ExecutionRow) => (row.error_code && row.status !== "SUCCEEDED" ? `${row.status} ${row.error_code}` : row.status);

export async function loadExecutions(db: pg.Client, jobIds: string[]): Promise<ExecutionRow[]> {
  const { rows } = await db.query<ExecutionRow>(
    `SELECT id, job_id, status::text AS status, trigger::text AS trigger, attempt, retry_of_id, scheduled_for, started_at, finished_at,
            error_code, error_message, worker_id, result IS NOT NULL AS has_result
     FROM executions WHERE job_id = ANY($1::uuid[])`,
    [jobIds],
  );
  return rows;
}

export async function prove(input: ProofInput): Promise<Figure[]> {
  const figures: Figure[] = [];
  const add = (name: string, value: string, ok: boolean | null) => figures.push({ name, value, ok });
  const { window, jobs, hits } = input;
  const rows = await loadExecutions(input.db, jobs.map((job) => job.id));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const jobById = new Map(jobs.map((job) => [job.id, job]));
  const retriesOf = new Map<string, ExecutionRow[]>();
  for (const row of rows) if (row.retry_of_id) retriesOf.set(row.retry_of_id, [...(retriesOf.get(row.retry_of_id) ?? []), row]);
  const incarnationById = new Map(input.incarnations.map((incarnation) => [incarnation.id, incarnation]));

  // ---- 1. Every fire time in the window: exactly one execution, or a SKIPPED row with its reason.
  const fireTimes = Math.floor((window.end - window.start) / 1000) + 1;
  const tickJobs = jobs.filter((job) => job.kind === "tick");
  let lost = 0;
  const lostDetails: string[] = [];
  const lostCauses = new Map<string, number>();
  let duplicated = 0;
  let offGrid = 0;
  let coveredByMisfire = 0;
  let misfireMismatch = 0;
  const fireStatuses = new Map<string, number>();
  const problemJobs: string[] = [];
  const perJob: { name: string; executed: number; skipped: number; lost: number; duplicated: number }[] = [];
  const lags: number[] = [];
  const inWindow = (t: number) => t >= window.start && t <= window.end;
  for (const job of tickJobs) {
    const scheduled = rows
      .filter((row) => row.job_id === job.id && row.trigger === "schedule")
      .sort((a, b) => a.scheduled_for.getTime() - b.scheduled_for.getTime());
    const buckets = new Map<number, ExecutionRow[]>();
    for (const row of scheduled) {
      const t = row.scheduled_for.getTime();
      const second = Math.floor(t / 1000) * 1000;
      if (!inWindow(second)) continue;
      if (t !== second) offGrid++;
      buckets.set(second, [...(buckets.get(second) ?? []), row]);
    }
    const mine = { name: job.name, executed: 0, skipped: 0, lost: 0, duplicated: 0 };
    const misfireCover = new Map<string, number>();
    for (let t = window.start; t <= window.end; t += 1000) {
      const found = buckets.get(t) ?? [];
      if (found.length === 0) {
        // A misfire record stands for the missed fire times after it, up to the next row of the job.
        const before = scheduled.filter((row) => row.scheduled_for.getTime() < t).at(-1);
        if (before?.status === "SKIPPED" && before.error_code === "MISFIRE") {
          coveredByMisfire++;
          count(misfireCover, before.id);
        } else {
          lost++;
          mine.lost++;
          // (job_id, scheduled_for) is unique: another kind of run due at that very instant takes the fire's place.
          const taken = rows.find((row) => row.job_id === job.id && row.scheduled_for.getTime() === t);
          count(lostCauses, taken ? `its slot taken by a ${taken.trigger} execution due at that very instant` : "no row at all");
          if (lostDetails.length < 10) {
            const near = rows
              .filter((row) => row.job_id === job.id && Math.abs(row.scheduled_for.getTime() - t) <= 3000)
              .sort((a, b) => a.scheduled_for.getTime() - b.scheduled_for.getTime())
              .map((row) => `${row.scheduled_for.toISOString().slice(11)} ${row.trigger} ${statusOf(row)}`);
            lostDetails.push(`${job.name} ${new Date(t).toISOString()}: rows within 3 s: ${near.join("; ") || "none"}`);
          }
        }
        continue;
      }
      if (found.length > 1) {
        duplicated += found.length - 1;
        mine.duplicated += found.length - 1;
      }
      for (const row of found) {
        count(fireStatuses, statusOf(row));
        if (row.status === "SKIPPED") mine.skipped++;
        else mine.executed++;
        if (row.started_at) lags.push(row.started_at.getTime() - row.scheduled_for.getTime());
        if (row.status === "SKIPPED" && row.error_code === "MISFIRE") misfireCover.set(row.id, misfireCover.get(row.id) ?? 0);
      }
    }
    for (const [id, extra] of misfireCover) {
      const said = /Missed (\d+)/.exec(byId.get(id)?.error_message ?? "")?.[1];
      const lastCovered = byId.get(id)!.scheduled_for.getTime() + extra * 1000;
      if (said && lastCovered < window.end && Number(said) !== extra + 1) misfireMismatch++;
    }
    perJob.push(mine);
    if (mine.lost || mine.duplicated) problemJobs.push(`${job.name}: ${mine.lost} lost, ${mine.duplicated} duplicated`);
  }
  const expected = fireTimes * tickJobs.length;
  const skippedWithoutReason = [...fireStatuses.entries()].filter(([key]) => key === "SKIPPED").reduce((sum, [, n]) => sum + n, 0);
  add(
    "fire times in the window",
    `${tickJobs.length} jobs × ${fireTimes} s = ${expected}; ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`,
    null,
  );
  add("fire times with no execution and no SKIPPED record (lost)", `${lost}${lost ? ` (${tally(lostCauses)})` : ""}`, lost === 0);
  if (lostDetails.length > 0) console.log(`\nLost fire times (first ${lostDetails.length}):\n${lostDetails.map((line) => `  ${line}`).join("\n")}`);
  add("fire times with more than one execution (duplicated)", String(duplicated), duplicated === 0);
  add("scheduled executions off the second they stand for", String(offGrid), offGrid === 0);
  add("SKIPPED fire times without a reason", String(skippedWithoutReason), skippedWithoutReason === 0);
  add("fire times covered by a MISFIRE record", `${coveredByMisfire}${misfireMismatch ? `; ${misfireMismatch} record(s) whose count disagrees` : ""}`, misfireMismatch === 0 ? null : false);
  add("fire times by outcome", tally(fireStatuses), null);
  const ran = expected - [...fireStatuses].filter(([key]) => key.startsWith("SKIPPED")).reduce((sum, [, n]) => sum + n, 0);
  add(
    "fire times that ran",
    `${ran} of ${expected} (${((ran / Math.max(1, expected)) * 100).toFixed(1)} %, ${(ran / fireTimes).toFixed(1)} runs/s of ${tickJobs.length} offered); the others were SKIPPED while the job's previous run was still queued or running`,
    null,
  );
  const executedPerJob = perJob.map((job) => job.executed);
  const skippedPerJob = perJob.map((job) => job.skipped);
  add(
    "per job",
    `${fireTimes} fire times each; executed min ${Math.min(...executedPerJob)} / max ${Math.max(...executedPerJob)}, skipped min ${Math.min(...skippedPerJob)} / max ${Math.max(...skippedPerJob)}; jobs with a lost or duplicated fire time: ${problemJobs.length}`,
    problemJobs.length === 0,
  );
  add(
    "fire lag (startedAt - scheduledFor) of the window's runs",
    `p50 ${Math.round(percentile(lags, 50))} ms, p95 ${Math.round(percentile(lags, 95))} ms, p99 ${Math.round(percentile(lags, 99))} ms, max ${Math.round(Math.max(...lags))} ms`,
    null,
  );

  // ---- 2. The side table: which execution called, how often.
  const hitsById = new Map<string, Hit[]>();
  let phantom = 0;
  for (const hit of hits) {
    if (!hit.executionId || !byId.has(hit.executionId)) {
      phantom++;
      continue;
    }
    hitsById.set(hit.executionId, [...(hitsById.get(hit.executionId) ?? []), hit]);
  }
  const callsOf = (id: string) => hitsById.get(id)?.length ?? 0;
  let repeatedAfterCleanStop = 0;
  let calledTwice = 0;
  const calledTwiceIds = new Set<string>();
  const calledTwiceExamples: string[] = [];
  for (const [id, list] of hitsById) {
    if (list.length < 2) continue;
    const sorted = list.map((hit) => hit.at).sort((a, b) => a - b);
    // A clean stop requeues an unfinished run with the same id: allowed when one began between the calls.
    const allowed = sorted.slice(1).every((at, i) => input.cleanStops.some((stop) => stop >= sorted[i] - 1000 && stop <= at));
    if (allowed) repeatedAfterCleanStop += list.length - 1;
    else {
      calledTwice += list.length - 1;
      calledTwiceIds.add(id);
      if (calledTwiceExamples.length < 5) calledTwiceExamples.push(`${id} ${statusOf(byId.get(id)!)} ×${list.length}`);
    }
  }
  const httpRows = rows.filter((row) => jobById.get(row.job_id ?? "")?.kind !== "sleep");
  const succeededWithoutCall = httpRows.filter((row) => row.status === "SUCCEEDED" && callsOf(row.id) === 0).length;
  add("side table: calls", `${hits.length} (${tally(countBy(hits, (hit) => hit.answer))})`, null);
  add("side table: calls from no known execution", String(phantom), phantom === 0);
  add(
    "side table: one execution id calling more than once (not after a clean stop)",
    `${calledTwice}${calledTwiceExamples.length ? ` (${calledTwiceExamples.join("; ")})` : ""}`,
    calledTwice === 0,
  );
  add("side table: same id again after a clean stop requeued it (allowed)", String(repeatedAfterCleanStop), null);
  add("SUCCEEDED http runs that never called", String(succeededWithoutCall), succeededWithoutCall === 0);
  // A run and its retries: more than one of them calling is what the contract allows for a retry.
  const calledAgainByRetry = new Map<string, number>();
  for (const row of httpRows) {
    if (row.trigger === "retry") continue;
    const chain = [row];
    for (let i = 0; i < chain.length; i++) chain.push(...(retriesOf.get(chain[i].id) ?? []));
    const calling = chain.filter((member) => callsOf(member.id) > 0);
    if (calling.length < 2) continue;
    for (const member of calling.slice(0, -1)) count(calledAgainByRetry, `after ${member.error_code ?? member.status}${member.error_code === "STALLED" ? ` (owner ${ownerFate(member, incarnationById)})` : ""}`);
  }
  add("runs whose retry called again (allowed: a retry is a new execution)", tally(calledAgainByRetry), null);

  // ---- 3. Run-nows that answered 202: each has its execution, which ran once.
  let runNowMissing = 0;
  let runNowUnfinished = 0;
  let runNowNeverRan = 0;
  let runNowRanTwice = 0;
  const runNowOutcomes = new Map<string, number>();
  for (const runNow of input.runNows) {
    const row = byId.get(runNow.executionId);
    if (!row || row.trigger !== "manual" || row.job_id !== runNow.jobId) {
      runNowMissing++;
      continue;
    }
    const chain = [row];
    for (let i = 0; i < chain.length; i++) chain.push(...(retriesOf.get(chain[i].id) ?? []));
    const last = chain.at(-1)!;
    count(runNowOutcomes, `${runNow.kind} ${statusOf(last)}`);
    if (!TERMINAL.has(last.status)) runNowUnfinished++;
    if (runNow.kind === "manual") {
      const calls = chain.reduce((sum, member) => sum + callsOf(member.id), 0);
      // No call at all is fine only when every attempt died with its (killed) worker.
      if (calls === 0 && !chain.every((member) => member.error_code === "STALLED" && ownerFate(member, incarnationById) === "killed")) runNowNeverRan++;
      if (chain.some((member) => calledTwiceIds.has(member.id))) runNowRanTwice++;
    } else if (!row.started_at && row.status !== "CANCELLED") runNowNeverRan++;
  }
  add("run-nows answered 202", `${input.runNows.length} (${tally(runNowOutcomes)})`, null);
  add("run-nows answered 202 without their execution", String(runNowMissing), runNowMissing === 0);
  add("run-nows not finished", String(runNowUnfinished), runNowUnfinished === 0);
  add("run-nows that never ran (not explained by killed workers)", String(runNowNeverRan), runNowNeverRan === 0);
  add("run-nows whose execution id called twice", String(runNowRanTwice), runNowRanTwice === 0);

  // ---- 4. Cancels: answered 200 means cancelled at once; 202 means it ends CANCELLED when its handler stops.
  const cancelOutcomes = new Map<string, number>();
  let cancelBroken = 0;
  for (const cancel of input.cancels) {
    const row = byId.get(cancel.executionId);
    const final = row ? statusOf(row) : "missing";
    count(cancelOutcomes, `${cancel.status}→${final}`);
    if (cancel.status === 200 && row?.status !== "CANCELLED") cancelBroken++;
    if (cancel.status === 202 && (!row || !TERMINAL.has(row.status))) cancelBroken++;
  }
  add("cancels (answer→final status)", tally(cancelOutcomes), null);
  add("cancels answered 200 not CANCELLED, or answered 202 and never finished", String(cancelBroken), cancelBroken === 0);

  // ---- 5. Stalled runs: expected when the owner was killed; otherwise the outcome was lost.
  const stalled = rows.filter((row) => row.error_code === "STALLED");
  const stalledByFate = countBy(stalled, (row) => ownerFate(row, incarnationById));
  const stalledLost = stalled.length - (stalledByFate.get("killed") ?? 0);
  add("STALLED runs whose worker had been killed (expected)", String(stalledByFate.get("killed") ?? 0), null);
  // What the webhook had answered those runs says which fault lost their outcome.
  const lostBy = countBy(
    stalled.filter((row) => ownerFate(row, incarnationById) !== "killed"),
    (row) =>
      `${ownerFate(row, incarnationById)}, ${
        jobById.get(row.job_id ?? "")?.kind === "sleep" ? "demo.sleep" : (hitsById.get(row.id)?.map((hit) => `webhook answered ${hit.answer}`).join("+") ?? "no webhook call")
      }`,
  );
  add("STALLED runs whose worker was alive or stopped cleanly (outcome lost)", `${stalledLost}${stalledLost ? ` (owner ${tally(lostBy)})` : ""}`, stalledLost === 0);

  // ---- 6. Nothing stuck, every finished run with its outcome.
  const { rows: active } = await input.db.query<{ id: string; job_name: string; status: string; scheduled_for: Date; worker_id: string | null }>(
    `SELECT id, job_name, status::text AS status, scheduled_for, worker_id FROM executions WHERE status IN ('QUEUED', 'RUNNING')`,
  );
  const now = Date.now();
  const queuedPastDue = active.filter((row) => row.status === "QUEUED" && row.scheduled_for.getTime() < now - input.queuedGraceMs);
  const running = active.filter((row) => row.status === "RUNNING");
  const runningOwned = running.filter((row) => row.worker_id && incarnationById.get(row.worker_id)?.endedAt === null);
  add("QUEUED past due after settling", String(queuedPastDue.length), queuedPastDue.length === 0);
  add("RUNNING without a live owner after settling", String(running.length - runningOwned.length), running.length === runningOwned.length);
  add("RUNNING with a live owner after settling (never finished)", String(runningOwned.length), runningOwned.length === 0);
  const noOutcome = rows.filter(
    (row) =>
      TERMINAL.has(row.status) &&
      (!row.finished_at || (row.status !== "SUCCEEDED" && !row.error_code) || (row.status === "SUCCEEDED" && jobById.get(row.job_id ?? "")?.kind !== "sleep" && !row.has_result)),
  );
  add("finished runs without their outcome (finishedAt, error code or result)", String(noOutcome.length), noOutcome.length === 0);

  // ---- 7. The instances: JSON lines only, no exits of their own.
  const check = input.logCheck;
  const readyAt = (id: string) => incarnationById.get(id)?.readyAt ?? Infinity;
  for (const [when, lines] of [
    ["while starting (before /api/health answered)", check.nonJson.filter((line) => line.at < readyAt(line.incarnation))],
    ["while serving", check.nonJson.filter((line) => line.at >= readyAt(line.incarnation))],
  ] as const) {
    const shapes = countBy(lines, (line) => line.line.replace(/\d+/g, "#").slice(0, 100));
    add(
      `instance output lines that are not JSON, ${when}`,
      `${lines.length} of ${check.lines} lines${shapes.size ? `: ${[...shapes].slice(0, 8).map(([shape, n]) => `${JSON.stringify(shape)} ×${n}`).join(", ")}` : ""}`,
      // Printed, not judged, while starting: `next start` prints its banner before any code of ours runs.
      when === "while serving" ? lines.length === 0 : null,
    );
  }
  const crashed = input.incarnations.filter((incarnation) => incarnation.end === "exited" || incarnation.end === "guard");
  add(
    "instances that exited by themselves or hit the memory guard",
    `${crashed.length}${crashed.length ? ` (${crashed.map((c) => `${c.id} ${c.end} ${c.exit}, peak ${Math.round(c.peakRssMb)} MiB`).join("; ")})` : ""}`,
    crashed.length === 0,
  );
  add("warnings and errors the instances logged", tally(check.warnings).slice(0, 1500), null);

  if (input.perJob || problemJobs.length > 0) {
    console.log("\nPer job (fire times in the window):");
    for (const job of perJob) {
      if (!input.perJob && !job.lost && !job.duplicated) continue;
      console.log(`  ${job.name}: executed ${job.executed}, skipped ${job.skipped}, lost ${job.lost}, duplicated ${job.duplicated}`);
    }
  }
  return figures;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) count(map, key(item));
  return map;
}

/** What became of the worker that owned a run: killed (SIGKILL, memory guard, crash), stopped cleanly, still alive, or unknown. */
function ownerFate(row: ExecutionRow, incarnations: Map<string, Incarnation>): "killed" | "stopped cleanly" | "alive" | "unknown owner" {
  const owner = row.worker_id ? incarnations.get(row.worker_id) : undefined;
  if (!owner) return "unknown owner";
  if (owner.end === "SIGKILL" || owner.end === "guard" || owner.end === "exited") {
    // Killed, but only counts if it died before the run was declared stalled.
    return row.finished_at && owner.endedAt !== null && owner.endedAt <= row.finished_at.getTime() ? "killed" : "alive";
  }
  if (owner.end === "SIGTERM") return row.finished_at && owner.endedAt !== null && owner.endedAt <= row.finished_at.getTime() ? "stopped cleanly" : "alive";
  return "alive";
}
