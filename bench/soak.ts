// Two engine instances (scheduler and worker each) on one database, one killed with SIGKILL midway:
// every job fires every second; count duplicate and missed fire times over the window.
import { spawn, type ChildProcess } from "node:child_process";
import { getPrisma } from "@/lib/db";
import { nextFireTime } from "@/lib/jobs/schedule";
import { report, sleep } from "./support";
import { truncate } from "./engine";

function startInstance(url: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/engine-process.ts", "--scheduler"], {
    env: { ...process.env, DATABASE_URL: url, TICKWORK_WORKER_ID: id, TICKWORK_LOG_LEVEL: "error", TICKWORK_WORKER_CONCURRENCY: "32" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`instance ${id} exited with ${code}`)));
  });
}

export async function soak(url: string, jobs: number, seconds: number): Promise<void> {
  await truncate();
  const db = await getPrisma();
  const now = new Date();
  const schedule = { type: "cron" as const, expression: "* * * * * *", timezone: "UTC" };
  await db.job.createMany({
    data: Array.from({ length: jobs }, (_, i) => ({
      name: `soak ${i}`,
      type: "demo.sleep",
      params: { durationMs: 0, steps: 1 },
      scheduleType: "cron" as const,
      cronExpression: schedule.expression,
      overlapPolicy: "allow" as const,
      createdBy: "bench",
      nextRunAt: nextFireTime(schedule, now),
    })),
  });
  const first = await startInstance(url, "soak-a");
  const second = await startInstance(url, "soak-b");
  const windowStart = Date.now() + 2000;
  await sleep((seconds * 1000) / 2);
  first.kill("SIGKILL");
  await sleep((seconds * 1000) / 2);
  const windowEnd = Date.now() - 2000;
  second.kill("SIGTERM");
  await new Promise((resolve) => second.once("exit", resolve));
  const [counts] = await db.$queryRaw<{ total: bigint; distinct_fires: bigint }[]>`
    SELECT count(*) AS total, count(DISTINCT (job_id, scheduled_for)) AS distinct_fires FROM executions
    WHERE scheduled_for >= ${new Date(windowStart)} AND scheduled_for < ${new Date(windowEnd)}`;
  const expectedPerJob = Math.floor((Math.floor(windowEnd / 1000) * 1000 - Math.ceil(windowStart / 1000) * 1000) / 1000) + 1;
  const duplicates = Number(counts.total - counts.distinct_fires);
  const missed = expectedPerJob * jobs - Number(counts.distinct_fires);
  report(
    `duplicate or missed fires, two instances, one killed midway (${jobs} every-second jobs, ${seconds} s)`,
    `${duplicates} duplicates, ${missed} missed of ${expectedPerJob * jobs} expected`,
    "0 (over 10 minutes; run with --soak-seconds=600)",
    duplicates === 0 && missed === 0,
  );
}
