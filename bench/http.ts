// The production server under load: GET /api/jobs?pageSize=50 with 10,000 jobs and 32 concurrent
// clients (autocannon), the server's RSS meanwhile, and event latency seen by an SSE client.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import autocannon from "autocannon";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createToken } from "@/lib/auth/tokens";
import { percentile, report, sleep, waitFor } from "./support";
import { truncate } from "./engine";
import { consoleLatency } from "./console";

const PORT = 3399;
export const BASE = `http://127.0.0.1:${PORT}`;

export function rssOfTree(rootPid: number): number {
  let total = 0;
  const pids = [rootPid];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (pids.includes(ppid)) pids.push(Number(entry));
    } catch {
      // the process ended
    }
  }
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      // the process ended
    }
  }
  return total;
}

export async function startServer(url: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("Run `npm run build` first: the bench measures the production server");
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production", AUTH_SECRET: "bench-secret-that-is-long-enough-0123", TICKWORK_LOG_LEVEL: "error", TICKWORK_DEMO_JOBS: "false", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor(async () => (await fetch(`${BASE}/api/health`).catch(() => null))?.ok === true, 60_000, "the server");
  return child;
}

async function createJobs(count: number): Promise<void> {
  const db = await getPrisma();
  try {
    await insertJobs(db, count);
  } finally {
    // Statistics as autovacuum would keep them on a live table; a bulk insert leaves none.
    await db.$executeRawUnsafe("ANALYZE jobs");
  }
}

async function insertJobs(db: Awaited<ReturnType<typeof getPrisma>>, count: number): Promise<void> {
  for (let offset = 0; offset < count; offset += 2000) {
    await db.job.createMany({
      data: Array.from({ length: Math.min(2000, count - offset) }, (_, k) => ({
        name: `listing ${String(offset + k).padStart(5, "0")}`,
        type: "demo.sleep",
        params: { durationMs: 0, steps: 1 },
        scheduleType: "manual" as const,
        createdBy: "bench",
      })),
    });
  }
}

async function listLatency(token: string, server: ChildProcess): Promise<void> {
  const latencies: number[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOfTree(server.pid!))), 200);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${BASE}/api/jobs?pageSize=50`, connections: 32, duration: 15, headers: { authorization: `Bearer ${token}` } },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      if (status === 200) latencies.push(responseTime);
    });
  });
  clearInterval(sampler);
  const p95 = percentile(latencies, 95);
  report("GET /api/jobs?pageSize=50 p95, 10,000 jobs, 32 concurrent clients", `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx`, "<= 25 ms", p95 <= 25);
  report("one instance's RSS under that load", `${(peakRss / 1024 / 1024).toFixed(0)} MiB peak`, "<= 400 MiB", peakRss <= 400 * 1024 * 1024);
}

/** Time from POST /run to the execution.queued event at an SSE client: the path a console's live view depends on. */
async function eventLatency(token: string, jobId: string, samples: number): Promise<void> {
  const controller = new AbortController();
  const response = await fetch(`${BASE}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const waiting = new Map<string, (at: number) => void>();
  const seen = new Map<string, number>();
  void (async () => {
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.includes("event: execution.queued")) continue;
        const id = JSON.parse(frame.slice(frame.indexOf("data: ") + 6)).id as string;
        const at = performance.now();
        seen.set(id, at);
        waiting.get(id)?.(at);
      }
    }
  })();
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const sent = performance.now();
    const answer = await fetch(`${BASE}/api/jobs/${jobId}/run`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const { execution } = (await answer.json()) as { execution: { id: string } };
    const at = seen.get(execution.id) ?? (await new Promise<number>((resolve) => waiting.set(execution.id, resolve)));
    latencies.push(at - sent);
    await sleep(20);
  }
  controller.abort();
  report("run-now request to execution.queued at an SSE client, p95", `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms (${samples} runs)`, "printed; the console figure follows", null);
}

export async function httpFigures(url: string, jobs: number): Promise<void> {
  await truncate();
  await createJobs(jobs);
  const { token } = await createToken({ actor: SYSTEM_ACTOR, input: { name: `bench-${Date.now()}`, role: "operator" } });
  const server = await startServer(url);
  try {
    await listLatency(token, server);
    const { id: jobId } = await (await getPrisma()).job.findFirstOrThrow({ where: { deletedAt: null } });
    await eventLatency(token, jobId, 100);
    await consoleLatency(BASE, jobId, 100);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}
