// Run logs (issue 11): commands that print as fast as they can, through the whole path (the
// command handler reads their output line by line, the run-log writer stores it in batches).
// Prints lines stored per second and commits per 1,000 lines, and how long no-op runs queued at
// the same time took (start to finish) beside the same no-ops run alone, so a loud log is seen not
// to slow other runs.
import crypto from "node:crypto";
import { getPrisma } from "@/lib/db";
import { engineConfig } from "@/lib/engine/config";
import { startWorker } from "@/lib/engine/worker";
import { dbCounters, percentile, report, waitFor } from "./support";
import { truncate } from "./engine";

const LOUD = (count: number) => ({ type: "command", params: { command: "many-lines", args: { count: String(count) } } });
const NOOP = { type: "demo.sleep", params: { durationMs: 0, steps: 1 } };

async function queue(runs: { type: string; params: object }[]): Promise<string[]> {
  const db = await getPrisma();
  const now = new Date();
  const rows = runs.map((run) => ({ id: crypto.randomUUID(), jobName: run.type, type: run.type, params: run.params, trigger: "manual" as const, triggeredBy: "bench", scheduledFor: now }));
  await db.execution.createMany({ data: rows });
  return rows.map((row) => row.id);
}

/** How long each no-op run took from its start to its finish, in ms (its wait for a slot left out). */
async function noopDurations(ids: string[]): Promise<number[]> {
  const db = await getPrisma();
  const rows = await db.execution.findMany({ where: { id: { in: ids } }, select: { durationMs: true } });
  return rows.map((row) => row.durationMs ?? NaN);
}

async function drainAll(): Promise<void> {
  const db = await getPrisma();
  await waitFor(async () => (await db.execution.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) === 0, 600_000, "every run to finish");
}

/** `loud` commands printing `lines` lines each, beside 200 no-op runs; then the no-ops alone as the reference. */
export async function runLogs(url: string, loud: number, lines: number): Promise<void> {
  await truncate();
  const db = await getPrisma();
  const worker = startWorker(engineConfig({ workerId: "bench-logs", concurrency: loud + 8, pollMs: 50 }));
  try {
    // Reference first, on a warm worker: 200 no-ops alone.
    await queue([{ ...NOOP }]);
    await drainAll();
    const quiet = await queue(Array.from({ length: 200 }, () => NOOP));
    await drainAll();
    const alone = await noopDurations(quiet);

    const before = await dbCounters(url);
    const started = performance.now();
    const loudIds = await queue(Array.from({ length: loud }, () => LOUD(lines)));
    const busy = await queue(Array.from({ length: 200 }, () => NOOP));
    await drainAll();
    const seconds = (performance.now() - started) / 1000;
    const after = await dbCounters(url);
    const stored = await db.executionLog.count({ where: { executionId: { in: loudIds } } });
    const failed = await db.execution.count({ where: { id: { in: loudIds }, status: { not: "SUCCEEDED" } } });
    const beside = await noopDurations(busy);

    report(
      `run-log lines stored per second (${loud} commands × ${lines.toLocaleString("en")} lines at once)`,
      `${Math.round(stored / seconds).toLocaleString("en")}/s (${stored.toLocaleString("en")} in ${seconds.toFixed(1)} s${failed ? `, ${failed} runs not SUCCEEDED` : ""})`,
      "printed",
      failed === 0 ? null : false,
    );
    report("commits per 1,000 run-log lines", ((1000 * (after.commits - before.commits)) / stored).toFixed(1), "as few as possible (printed; a commit per line would be 1,000)", null);
    for (const p of [50, 95]) {
      const [busyMs, quietMs] = [percentile(beside, p), percentile(alone, p)];
      report(`no-op run duration p${p}: beside the loud commands / alone`, `${busyMs} ms / ${quietMs} ms`, "printed (a loud log must not slow other runs)", null);
    }
  } finally {
    await worker.stop(1000);
  }
}
