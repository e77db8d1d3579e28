// The production server under load: GET /api/jobs?pageSize=50 with 10,000 jobs and 32 concurrent
// clients (autocannon), the server's RSS meanwhile, and event latency seen by an SSE client.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import autocannon from "autocannon";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createToken } from "@/lib/auth/tokens";
import { alternate, dbCounters, median, percentile, report, roundsOf, sleep, waitFor } from "./support";
import { truncate } from "./engine";
import { consoleLatency, pageLoad } from "./console";

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
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
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

/** One finished run per job, so the Runs page has a full history to page through. */
async function createFinishedRuns(count: number): Promise<void> {
  const db = await getPrisma();
  await db.$executeRaw`
    INSERT INTO executions (job_id, job_version, job_name, type, status, trigger, triggered_by, params, scheduled_for, queued_at, started_at, finished_at, duration_ms)
    SELECT id, version, name, type, 'SUCCEEDED', 'manual', 'bench', params, now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour' + interval '5 ms', 5
    FROM jobs WHERE deleted_at IS NULL ORDER BY name LIMIT ${count}`;
  await db.$executeRawUnsafe("ANALYZE executions");
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

interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  non2xx: number;
}

/** autocannon against one path: closed-loop with `connections` clients. */
async function load(path: string, options: { token?: string; connections?: number; seconds?: number } = {}): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${BASE}${path}`,
        connections: options.connections ?? 32,
        duration: options.seconds ?? LOAD_SECONDS,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      if (status === 200) latencies.push(responseTime);
    });
  });
  return { rps: result.requests.average, p50: percentile(latencies, 50), p95: percentile(latencies, 95), non2xx: result.non2xx };
}

/**
 * Open-loop: one request every 1000 / `rate` ms, sent on time whatever the earlier ones are doing,
 * each timed from when it was due (so a stall counts for every request it delays). autocannon's
 * `overallRate` is not this: each of its clients sends its share of the second back to back at the
 * second's start, so it measures a burst of concurrent requests, not latency at a rate.
 */
async function openLoop(path: string, options: { token?: string; rate: number; seconds?: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const send = () =>
    new Promise<number>((resolve) => {
      const request = http.get(`${BASE}${path}`, { agent, headers }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      });
      request.on("error", () => resolve(0));
    });
  const seconds = options.seconds ?? LOAD_SECONDS;
  const count = Math.round(seconds * options.rate);
  const latencies: number[] = [];
  let non2xx = 0;
  const sent: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sent.push(send().then((status) => (status === 200 ? void latencies.push(performance.now() - due) : void (non2xx += 1))));
  }
  await Promise.all(sent);
  agent.destroy();
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), non2xx };
}

const LOAD_SECONDS = 10;
const LIST = "/api/jobs?pageSize=50";
const rpsOf = (results: LoadResult[]) => results.map((result) => result.rps);
const p95Of = (results: LoadResult[]) => results.map((result) => result.p95);
/** The median of each round's ratio (candidate over reference, measured one after the other). */
const medianRatio = (candidate: number[], reference: number[]) => median(candidate.map((value, i) => value / reference[i]));

/**
 * Database transactions per list request, one request at a time: each statement outside a
 * transaction is one commit and one round trip (the token's lookup, the page with its total).
 * The instance's own commits (scheduler ticks) over as long a quiet spell are subtracted, and
 * each reading waits out PostgreSQL's stats flush (an idle backend reports within 10 s).
 */
async function roundTrips(url: string, token: string): Promise<void> {
  const requests = 500;
  const commitsDuring = async (work: () => Promise<void>) => {
    const before = await dbCounters(url);
    await work();
    await sleep(11_000);
    // The two counter reads commit once each.
    return (await dbCounters(url)).commits - before.commits - 1;
  };
  let busyMs = 0;
  const busy = await commitsDuring(async () => {
    const started = performance.now();
    for (let i = 0; i < requests; i++) await (await fetch(`${BASE}${LIST}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    busyMs = performance.now() - started;
  });
  const quiet = await commitsDuring(async () => void (await sleep(busyMs)));
  const perRequest = (busy - quiet) / requests;
  report("database commits (round trips) per GET /api/jobs?pageSize=50 with a token", `${perRequest.toFixed(2)} (${requests} requests one at a time, less the instance's own ${quiet} commits in as long without requests)`, "printed", null);
}

/**
 * The list and the OpenAPI document beside GET /api/health (the framework's floor: no
 * authentication, one small `SELECT`), in alternating rounds, saturated by 32 clients; then the list's latency
 * at an open-loop 50 req/s beside health's at the same rate. RSS sampled throughout.
 */
async function apiThroughput(url: string, token: string, server: ChildProcess): Promise<void> {
  // The peak RSS while each endpoint is under load (the list's is DESIGN.md's figure).
  const peakRss: Record<string, number> = {};
  const idleRss = rssOfTree(server.pid!);
  let loading = "warm-up";
  const sampler = setInterval(() => (peakRss[loading] = Math.max(peakRss[loading] ?? 0, rssOfTree(server.pid!))), 200);
  const under = (name: string, measure: () => Promise<LoadResult>) => () => {
    loading = name;
    return measure();
  };
  try {
    // Warm-up: the first requests compile and connect.
    await load("/api/health", { seconds: 2 });
    await load(LIST, { token, seconds: 2 });
    await load("/api/openapi.json", { seconds: 2 });
    await roundTrips(url, token);
    const saturated = await alternate({
      health: under("health", () => load("/api/health")),
      list: under("list", () => load(LIST, { token })),
      openapi: under("openapi", () => load("/api/openapi.json")),
    });
    const { health, list, openapi } = saturated;
    const listRatio = medianRatio(rpsOf(list), rpsOf(health));
    report(
      "GET /api/jobs?pageSize=50 req/s as a ratio to GET /api/health, 10,000 jobs, 32 clients",
      `${listRatio.toFixed(2)}× (list ${Math.round(median(rpsOf(list)))} req/s [${roundsOf(rpsOf(list))}], p50 ${median(list.map((r) => r.p50)).toFixed(0)} ms, p95 ${median(p95Of(list)).toFixed(0)} ms; health ${Math.round(median(rpsOf(health)))} req/s [${roundsOf(rpsOf(health))}]; ${list.reduce((sum, r) => sum + r.non2xx, 0)} non-2xx)`,
      ">= 0.6×",
      listRatio >= 0.6,
    );
    const openapiRatio = medianRatio(rpsOf(openapi), rpsOf(health));
    report(
      "GET /api/openapi.json req/s as a ratio to GET /api/health, 32 clients",
      `${openapiRatio.toFixed(2)}× (${Math.round(median(rpsOf(openapi)))} req/s [${roundsOf(rpsOf(openapi))}], p95 ${median(p95Of(openapi)).toFixed(0)} ms)`,
      ">= 1.0×",
      openapiRatio >= 1,
    );
    const paced = await alternate({
      health: under("health", () => openLoop("/api/health", { rate: 50 })),
      list: under("list", () => openLoop(LIST, { token, rate: 50 })),
    });
    const listP95 = median(p95Of(paced.list));
    report(
      "GET /api/jobs?pageSize=50 p95 at an open-loop 50 req/s, 10,000 jobs",
      `${listP95.toFixed(0)} ms [${roundsOf(p95Of(paced.list))}], p50 ${median(paced.list.map((r) => r.p50)).toFixed(0)} ms; GET /api/health at the same rate: p95 ${median(p95Of(paced.health)).toFixed(0)} ms (${medianRatio(p95Of(paced.list), p95Of(paced.health)).toFixed(1)}×)`,
      "<= 25 ms",
      listP95 <= 25,
    );
  } finally {
    clearInterval(sampler);
  }
  const mib = (bytes = 0) => (bytes / 1024 / 1024).toFixed(0);
  report(
    "one instance's RSS under the list's load",
    `${mib(peakRss.list)} MiB peak (started and idle: ${mib(idleRss)} MiB; under /api/health's load ${mib(peakRss.health)} MiB, /api/openapi.json's ${mib(peakRss.openapi)} MiB)`,
    "<= 400 MiB",
    (peakRss.list ?? 0) <= 400 * 1024 * 1024,
  );
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

/** The parts of the HTTP figures (`--only=http` runs all; `--only=http:api,pages` some). */
export const HTTP_PARTS = ["api", "events", "console", "pages"];

export async function httpFigures(url: string, jobs: number, parts = new Set(HTTP_PARTS)): Promise<void> {
  await truncate();
  await createJobs(jobs);
  await createFinishedRuns(jobs);
  const { token } = await createToken({ actor: SYSTEM_ACTOR, input: { name: `bench-${Date.now()}`, role: "operator" } });
  const server = await startServer(url);
  try {
    if (parts.has("api")) await apiThroughput(url, token, server);
    const { id: jobId } = await (await getPrisma()).job.findFirstOrThrow({ where: { deletedAt: null } });
    if (parts.has("events")) await eventLatency(token, jobId, 100);
    if (parts.has("console")) await consoleLatency(BASE, jobId, 100);
    if (parts.has("pages")) await pageLoad(BASE, jobs);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}
