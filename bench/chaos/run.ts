// npm run chaos [-- --minutes=2 --jobs=200 --seed=1 ...] — the chaos run (issue 8, item 7).
//
// A black box: it uses only the production build (`next start`), environment variables, the HTTP
// API and SQL reads, so it keeps working whatever the engine looks like inside. It starts a private
// PostgreSQL cluster (temp dir, own port; removed at the end, also on failure or Ctrl-C), a TCP
// proxy in front of it, a webhook receiver that records every call (the side table) and three
// instances on one database through the proxy: two with TICKWORK_ROLE=all, one worker. The
// workload: `--jobs` every-second http.request jobs (overlap skip, misfire skip, 2 attempts) that
// call the receiver, a stream of run-nows on manual http.request jobs, and demo.sleep runs that
// are cancelled while they run. Every `--fault-every` seconds one fault, in rotation: SIGKILL an
// instance and start it again, SIGTERM one and start it again, restart PostgreSQL, sever every
// connection through the proxy, and the receiver answering NUL bytes, a 500 cut in an emoji, or
// a 1 GiB body for a few seconds. Then it stops the workload, lets the engine settle and proves.
//
// The window. Proofs are about the fire times F (whole seconds) with
//     windowStart <= F <= windowEnd, where
//     windowStart = the first whole second at least `--margin` seconds after every instance was
//                   healthy and every job was created (so each job's nextRunAt was set before it),
//     windowEnd   = the last whole second before the workload stop (stop = windowStart + minutes);
// faults happen only inside it. Before the every-second jobs are disabled (the stop), the run
// waits until each of them has nextRunAt > windowEnd, i.e. the scheduler has planned every fire
// time of the window; so disabling cannot remove one, and each F must have exactly one execution
// (trigger schedule) or a SKIPPED row with its reason. Fire times outside the window are not
// judged: the first ones race the start, the last ones race the disable.
//
// After the stop it waits (up to --settle-seconds) until nothing is QUEUED or RUNNING, then proves:
// no fire time lost or duplicated; every run-now that answered 202 has its execution, finished,
// called the receiver at most once per execution id (a retry is a new id: counted apart, with the
// reason the previous attempt failed); no execution id called twice except a run requeued by a
// clean stop; every STALLED run belongs to a worker that was killed (else its outcome was lost);
// nothing QUEUED past due or RUNNING; every finished run has its outcome; every line the
// instances printed is JSON; no instance exited by itself; every instance still answers GET
// /api/health and GET /api/jobs; no database session stays idle in a transaction; no fault failed
// to apply. It prints commits per execution (pg_stat_database xact_commit) and the fault log, and
// exits 1 when a proof fails.
//
// It never hangs silently: every wait goes through within() or waitUntil() (util.ts) with a
// deadline, says "still waiting for …" every 15 s, and past its deadline the run fails with what it
// waited for (exit 2, cluster removed); SQL reads have statement and client timeouts, and a
// watchdog ends the whole run after --minutes + --settle-seconds + 30 min.
// `--inject=duplicate,lost,...` plants known defects after settling, to check the proofs catch them.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Faults, ROTATION, type FaultKind } from "./faults";
import { inject, INJECTIONS, type Injection } from "./inject";
import { Instance, type LogCheck } from "./instances";
import { prove, type Figure } from "./prove";
import { removeCluster, startPrivateCluster, type PrivateCluster } from "./postgres";
import { startProxy, type Proxy } from "./proxy";
import { startSink, type Sink } from "./sink";
import { ceilSecond, describeWaits, floorSecond, percentile, setWaitLog, sleep, waitUntil, within } from "./util";
import { Api, Workload } from "./workload";

const ROOT = path.resolve(import.meta.dirname, "../..");

const OPTIONS = {
  minutes: { type: "string", default: "2" },
  jobs: { type: "string", default: "200" },
  seed: { type: "string" },
  "manual-jobs": { type: "string", default: "5" },
  "sleep-jobs": { type: "string", default: "4" },
  "run-nows-per-second": { type: "string", default: "2" },
  "sleep-runs-per-second": { type: "string", default: "1" },
  "cancel-share": { type: "string", default: "0.5" },
  "fault-every": { type: "string", default: "10" },
  faults: { type: "string", default: ROTATION.join(",") },
  "sever-seconds": { type: "string", default: "5" },
  "webhook-fault-seconds": { type: "string", default: "4" },
  "big-streams": { type: "string", default: "2" },
  concurrency: { type: "string", default: "16" },
  "stall-seconds": { type: "string", default: "15" },
  "rss-limit-mb": { type: "string", default: "2048" },
  margin: { type: "string", default: "5" },
  "settle-seconds": { type: "string", default: "120" },
  "port-base": { type: "string", default: "3400" },
  "pg-bin": { type: "string" },
  build: { type: "string", default: "auto" },
  inject: { type: "string", default: "" },
  "per-job": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;
const { values: args } = parseArgs({ options: OPTIONS });

if (args.help) {
  console.log(fs.readFileSync(import.meta.filename, "utf8").split("\nimport ")[0].replace(/^\/\/ ?/gm, ""));
  console.log("Options (defaults):");
  for (const [name, option] of Object.entries(OPTIONS)) console.log(`  --${name}${option.type === "string" ? `=${"default" in option ? option.default : "<value>"}` : ""}`);
  process.exit(0);
}

const num = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};
const minutes = num("minutes");
const seed = args.seed === undefined ? crypto.randomInt(1, 2 ** 31) : num("seed");
const faultKinds = args.faults!.split(",").filter(Boolean) as FaultKind[];
for (const kind of faultKinds) if (!ROTATION.includes(kind)) throw new Error(`unknown fault ${kind}; known: ${ROTATION.join(", ")}`);
const injections = args.inject!.split(",").filter(Boolean) as Injection[];
for (const kind of injections) if (!INJECTIONS.includes(kind)) throw new Error(`unknown injection ${kind}; known: ${INJECTIONS.join(", ")}`);
const stallSeconds = num("stall-seconds");
const shutdownGraceSeconds = 5;
const portBase = num("port-base");
const ports = { instances: [portBase, portBase + 1, portBase + 2], sink: portBase + 10, proxy: portBase + 20, postgres: portBase + 30 };

/** Mulberry32: the run's choices (which sleep runs to cancel, and when) follow --seed. */
function seeded(value: number): () => number {
  let state = value >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const started = Date.now();
const log = (message: string) => console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
setWaitLog(log);

// ---- Cleanup, whatever happens: instances killed, the cluster stopped and removed.
let cluster: PrivateCluster | null = null;
let proxy: Proxy | null = null;
let sink: Sink | null = null;
const instances: Instance[] = [];
let shuttingDown = false;
function cleanupNow() {
  shuttingDown = true;
  for (const instance of instances) instance.killNow();
  cluster?.destroy();
  fs.rmSync(LEFTOVERS, { force: true });
}

// A run killed outright (SIGKILL, no handler runs) leaves its instances and cluster behind: it
// notes them in a file as it goes, and the next run on the same ports removes them first.
const LEFTOVERS = path.join(os.tmpdir(), `tickwork-chaos-${portBase}.json`);
function noteLeftovers() {
  const pids = instances.flatMap((instance) => (instance.current ? [instance.current.pid] : []));
  fs.writeFileSync(LEFTOVERS, JSON.stringify({ clusterDir: cluster?.dir ?? null, pids }));
}
function removeLeftovers() {
  if (!fs.existsSync(LEFTOVERS)) return;
  const { clusterDir, pids } = JSON.parse(fs.readFileSync(LEFTOVERS, "utf8")) as { clusterDir: string | null; pids: number[] };
  for (const pid of pids) {
    const command = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
    if (!command.includes("next")) continue;
    log(`removing a previous run's leftover instance (pid ${pid})`);
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  if (clusterDir && fs.existsSync(clusterDir)) {
    log(`removing a previous run's leftover cluster ${clusterDir}`);
    removeCluster(clusterDir, args["pg-bin"]);
  }
  fs.rmSync(LEFTOVERS, { force: true });
}
process.on("exit", cleanupNow);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    console.error(`\nchaos: ${signal}, stopping the instances and removing the private cluster`);
    cleanupNow();
    process.exit(130);
  });
}

/** A production build newer than every source file it is made of; built again otherwise. */
function ensureBuild() {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const listed = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  const sources = listed.status === 0 ? listed.stdout.split("\n").filter((file) => file && !/^(tests|docs|bench|\.ci)\/|\.md$/.test(file)) : [];
  const newer = sources.find((file) => {
    try {
      return fs.statSync(path.join(ROOT, file)).mtimeMs > builtAt;
    } catch {
      return false;
    }
  });
  const need = args.build === "always" || (args.build === "auto" && (builtAt === 0 || newer !== undefined || listed.status !== 0));
  if (!need) return log(`reusing the production build (.next/BUILD_ID is newer than every source file)`);
  if (args.build === "never") throw new Error("no up-to-date production build and --build=never");
  log(builtAt === 0 ? "no production build yet: next build" : `the build is older than ${newer ?? "the sources"}: next build`);
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

/** A short-lived connection straight to PostgreSQL (not through the proxy), for the harness's own reads. */
async function withDb<T>(work: (db: pg.Client) => Promise<T>, queryTimeoutMs = 30_000): Promise<T> {
  // Every statement has a deadline on both ends: the server cancels it, the client stops waiting.
  const db = new pg.Client({
    connectionString: cluster!.url("tickwork"),
    connectionTimeoutMillis: 5000,
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + 5000,
  });
  db.on("error", () => undefined);
  await db.connect();
  try {
    return await work(db);
  } finally {
    // end() may never resolve on a connection the server already dropped: give it 5 s.
    await Promise.race([db.end().catch(() => undefined), sleep(5000)]);
  }
}

async function commits(): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await withDb(async (db) => {
        await db.query("SELECT pg_stat_clear_snapshot()");
        const { rows } = await db.query("SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = current_database()");
        return Number(rows[0].commits);
      });
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`reading pg_stat_database failed for 60 s: ${String(error)}`);
      await sleep(500);
    }
  }
}

/** Busy and total jiffies of the whole machine. */
function machineCpu(): { busy: number; total: number } {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

async function main(): Promise<number> {
  const jobs = num("jobs");
  console.log(
    `Tickwork chaos run: ${minutes} min, ${jobs} every-second jobs, seed ${seed}, faults every ${args["fault-every"]} s (${faultKinds.join(", ")}), ` +
      `on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`,
  );
  ensureBuild();
  // The last line of defence against a silent hang: every wait below has its own deadline, and the
  // whole run one more, after which it says what it was waiting for, cleans up and exits 2.
  const budgetMs = (minutes * 60 + num("settle-seconds") + 30 * 60) * 1000;
  setTimeout(() => {
    console.error(`chaos: the run took longer than ${Math.round(budgetMs / 60_000)} min; waiting for: ${describeWaits()}`);
    cleanupNow();
    process.exit(2);
  }, budgetMs).unref();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-chaos-logs-"));
  log(`instance logs in ${logDir}`);

  removeLeftovers();
  cluster = await within(`the private PostgreSQL cluster to start on port ${ports.postgres}`, 180_000, () => startPrivateCluster(ports.postgres, args["pg-bin"]));
  noteLeftovers();
  const leftoverNotes = setInterval(noteLeftovers, 1000);
  log(`private PostgreSQL on 127.0.0.1:${ports.postgres} in ${cluster.dir}`);
  {
    const admin = new pg.Client({ connectionString: cluster.url("postgres"), connectionTimeoutMillis: 10_000, query_timeout: 60_000 });
    await admin.connect();
    await admin.query("CREATE DATABASE tickwork");
    await admin.end();
  }
  proxy = await startProxy(ports.proxy, ports.postgres);
  sink = await startSink(ports.sink, { maxBigStreams: num("big-streams") });
  const random = seeded(seed);

  const logCheck: LogCheck = { lines: 0, nonJson: [], warnings: new Map() };
  const authSecret = crypto.randomBytes(24).toString("base64url");
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: `postgresql://postgres@127.0.0.1:${ports.proxy}/tickwork`,
    AUTH_SECRET: authSecret,
    ADMIN_EMAIL: "chaos@tickwork.local",
    ADMIN_PASSWORD: crypto.randomBytes(12).toString("base64url"),
    TICKWORK_DEMO_JOBS: "false",
    TICKWORK_HTTP_ALLOW: "127.0.0.1",
    TICKWORK_LOG_LEVEL: "info",
    TICKWORK_WORKER_CONCURRENCY: args.concurrency,
    TICKWORK_POLL_MS: "500",
    TICKWORK_HEARTBEAT_SECONDS: "1",
    TICKWORK_STALL_SECONDS: String(stallSeconds),
    TICKWORK_SWEEP_SECONDS: "2",
    TICKWORK_CANCEL_GRACE_SECONDS: "3",
    TICKWORK_SHUTDOWN_GRACE_SECONDS: String(shutdownGraceSeconds),
  };
  let faults: Faults | null = null;
  const restarting = new Set<Promise<unknown>>();
  const onUnexpectedEnd = (instance: Instance, incarnation: { id: string; end: string | null; exit: string | null; peakRssMb: number }) => {
    const kind = incarnation.end === "guard" ? "guard" : "crash";
    const detail = `${incarnation.exit}; peak RSS ${Math.round(incarnation.peakRssMb)} MiB${kind === "guard" ? ` (over --rss-limit-mb=${args["rss-limit-mb"]})` : ""}`;
    faults?.unplanned(kind, incarnation.id, detail);
    log(`UNPLANNED: ${incarnation.id} ${kind === "guard" ? "killed by the memory guard" : "exited by itself"}: ${detail}`);
    if (shuttingDown) return;
    const restart = sleep(1000)
      .then(() => (instance.alive || shuttingDown ? null : instance.start()))
      .catch((error) => log(`restarting ${instance.name} failed: ${String(error)}`));
    restarting.add(restart);
    void restart.finally(() => restarting.delete(restart));
  };
  const options = { root: ROOT, logDir, env: baseEnv, rssLimitMb: num("rss-limit-mb"), logCheck, onUnexpectedEnd };
  instances.push(new Instance("a", "all", ports.instances[0], options), new Instance("b", "all", ports.instances[1], options), new Instance("c", "worker", ports.instances[2], options));
  // The first start migrates and creates the admin; the others then start together.
  // (Instance.start has its own deadline: healthy within 90 s or it throws.)
  await instances[0].start();
  await Promise.all(instances.slice(1).map((instance) => instance.start()));
  log(`instances healthy: ${instances.map((i) => `${i.current!.id} (${i.role}, :${i.port})`).join(", ")}`);

  const tokenRun = spawnSync(process.execPath, ["--import", "tsx", "scripts/token-create.ts", "--name", "chaos", "--role", "operator"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...baseEnv, DATABASE_URL: cluster.url("tickwork"), TICKWORK_LOG_LEVEL: "error" },
  });
  const token = tokenRun.stdout.trim().split("\n").at(-1) ?? "";
  if (tokenRun.status !== 0 || !token) throw new Error(`token:create failed: ${tokenRun.stderr || tokenRun.stdout}`);
  const api = new Api(instances, token);
  const workload = new Workload(api, {
    sinkUrl: `http://127.0.0.1:${ports.sink}`,
    tickJobs: jobs,
    manualJobs: num("manual-jobs"),
    sleepJobs: num("sleep-jobs"),
    runNowsPerSecond: num("run-nows-per-second"),
    sleepRunsPerSecond: num("sleep-runs-per-second"),
    cancelShare: num("cancel-share"),
    random,
  });
  await within(`creating ${workload.plannedJobs} jobs through the API`, 300_000, () => workload.createJobs());
  const windowStart = ceilSecond(Date.now() + num("margin") * 1000);
  const stopAt = windowStart + minutes * 60_000;
  const windowEnd = floorSecond(stopAt - 1);
  log(`${workload.jobs.length} jobs created; window ${new Date(windowStart).toISOString()} .. ${new Date(windowEnd).toISOString()}`);
  await sleep(windowStart - Date.now());

  // ---- The chaos phase.
  const commitsBefore = await commits();
  const cpuBefore = machineCpu();
  const harnessCpuBefore = process.cpuUsage();
  const chaosStarted = Date.now();
  const instanceCpu = () => instances.flatMap((instance) => instance.incarnations).reduce((sum, incarnation) => sum + incarnation.cpuMs / 1000, 0);
  const instanceCpuBefore = instanceCpu();
  const postgresCpuStart = cluster.cpuSeconds();
  const postgresCpu = { before: postgresCpuStart, last: postgresCpuStart };
  const postgresSampler = setInterval(() => {
    try {
      postgresCpu.last = cluster!.cpuSeconds();
    } catch {
      // Restarting: no postmaster.pid for a moment.
    }
  }, 1000);
  workload.start();
  faults = new Faults({
    instances,
    cluster,
    proxy,
    sink,
    severMs: num("sever-seconds") * 1000,
    webhookMs: num("webhook-fault-seconds") * 1000,
    shutdownGraceSeconds,
  });
  const healthLatency: number[] = [];
  const monitor = setInterval(() => {
    for (const instance of instances.filter((i) => i.ready)) {
      const at = performance.now();
      void fetch(`http://127.0.0.1:${instance.port}/api/health`, { signal: AbortSignal.timeout(10_000) })
        .then((response) => response.status === 200 && healthLatency.push(performance.now() - at))
        .catch(() => undefined);
    }
  }, 2000);
  const status = setInterval(() => {
    void withDb(async (db) => {
      const { rows } = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'QUEUED' AND scheduled_for <= now()) AS due, count(*) FILTER (WHERE status = 'RUNNING') AS running,
                count(*) FILTER (WHERE queued_at > now() - interval '5 seconds') AS recent FROM executions`,
      );
      log(`status: ${rows[0].recent} executions in the last 5 s, ${rows[0].due} queued and due, ${rows[0].running} running, ${sink!.hits.length} webhook calls, instances up ${instances.filter((i) => i.ready).length}/3`);
    }).catch((error) => log(`status: database unreachable (${String(error).slice(0, 80)})`));
  }, 10_000);
  const faultEvery = num("fault-every") * 1000;
  const quiet = Math.max(15_000, (stallSeconds + 5) * 1000);
  let slot = windowStart + faultEvery / 2;
  for (let turn = 0; faultKinds.length > 0 && slot <= stopAt - quiet; turn++, slot += faultEvery) {
    await sleep(slot - Date.now());
    const kind = faultKinds[turn % faultKinds.length];
    // A fault restarts an instance (healthy within 90 s) or PostgreSQL (pg_ctl -t 60) at most.
    const record = await within(`fault ${kind}`, 240_000, () => faults!.run(kind));
    log(`fault ${kind}: ${record.target} ${record.detail} (${record.tookMs} ms)`);
  }
  await sleep(stopAt - Date.now());

  // ---- Stop the workload, once the scheduler has planned every fire time of the window.
  await within("the workload's calls in flight (run-nows and planned cancels) to end", 90_000, () => workload.stop());
  const cpuAfter = machineCpu();
  const harnessCpu = process.cpuUsage(harnessCpuBefore);
  const chaosSeconds = (Date.now() - chaosStarted) / 1000;
  const instanceCpuDuring = instanceCpu() - instanceCpuBefore;
  clearInterval(postgresSampler);
  const postgresCpuDuring = postgresCpu.last - postgresCpu.before;
  clearInterval(monitor);
  log(`workload stopped: ${workload.runNows.length} run-nows answered 202, ${workload.cancels.length} cancels answered`);
  await within("instances that exited by themselves to be restarted", 120_000, () => Promise.all([...restarting]));
  const down = instances.filter((instance) => !instance.alive);
  if (down.length > 0) {
    log(`starting ${down.map((instance) => instance.name).join(", ")} again before the stop`);
    await Promise.all(down.map((instance) => instance.start()));
  }
  const tickIds = workload.byKind("tick").map((job) => job.id);
  log("waiting until the scheduler has planned every fire time of the window");
  const planned = await waitUntil(
    "the scheduler to plan every fire time of the window (every-second jobs with nextRunAt > windowEnd)",
    () =>
      withDb(async (db) => {
        const { rows } = await db.query(`SELECT count(*)::int AS behind FROM jobs WHERE id = ANY($1::uuid[]) AND (next_run_at IS NULL OR next_run_at <= $2)`, [
          tickIds,
          new Date(windowEnd),
        ]);
        return rows[0].behind === 0;
      }),
    60_000,
  );
  if (!planned) log("WARNING: after 60 s the scheduler had still not planned every fire time of the window (the proof will show what is missing)");
  const disableStarted = Date.now();
  await within(`disabling the ${tickIds.length} every-second jobs through the API`, 240_000, () => workload.disableTickJobs(log));
  log(`every-second jobs disabled in ${((Date.now() - disableStarted) / 1000).toFixed(1)} s; settling`);

  // ---- Settle: nothing QUEUED (retries may still be due) and nothing RUNNING.
  const settleStarted = Date.now();
  const settled = await waitUntil(
    "the engine to settle (nothing QUEUED or RUNNING)",
    () =>
      withDb(async (db) => {
        const { rows } = await db.query(`SELECT count(*)::int AS active FROM executions WHERE status IN ('QUEUED', 'RUNNING')`);
        return rows[0].active === 0;
      }),
    num("settle-seconds") * 1000,
    1000,
  );
  clearInterval(status);
  log(settled ? `settled in ${((Date.now() - settleStarted) / 1000).toFixed(1)} s` : `NOT settled after ${args["settle-seconds"]} s`);
  // Every instance still answers, through the database: one wedged by the faults (a pool that never
  // hands out a connection again, a stuck event loop) would otherwise only show as a slow teardown.
  const answering = await Promise.all(
    instances.map(async (instance) => {
      const probe = async () => {
        for (const path of ["/api/health", "/api/jobs?pageSize=1"]) {
          const response = await fetch(`http://127.0.0.1:${instance.port}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
          await response.arrayBuffer();
          if (response.status !== 200) return false;
        }
        return true;
      };
      return { instance, ok: await waitUntil(`${instance.current?.id ?? instance.name} to answer GET /api/health and GET /api/jobs with 200`, probe, 30_000, 1000) };
    }),
  );
  // A transaction left open (a leaked connection holding row locks) would block later writes to its
  // rows for good: none may stay idle in a transaction after settling.
  const sessions = await withDb(async (db) => {
    const { rows } = await db.query<{ state: string; n: number; stale: number }>(
      `SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n,
              count(*) FILTER (WHERE state LIKE 'idle in transaction%' AND now() - state_change > interval '10 seconds')::int AS stale
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 1`,
    );
    return rows;
  });
  const staleTransactions = sessions.reduce((sum, row) => sum + row.stale, 0);
  const commitsAfter = await commits();
  const executionsMade = await withDb(async (db) => {
    // (withDb: every statement has a deadline.)
    const { rows } = await db.query(
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE status <> 'SKIPPED')::int AS ran FROM executions WHERE queued_at >= $1`,
      [new Date(windowStart)],
    );
    return rows[0] as { all: number; ran: number };
  });

  // ---- Prove.
  const figures: Figure[] = await within("the proofs (SQL reads)", 300_000, () => withDb(async (db) => {
    if (injections.length > 0) {
      const planted = await inject(injections, { db, window: { start: windowStart, end: windowEnd }, jobs: workload.jobs, runNows: workload.runNows, hits: sink!.hits });
      console.log(`\nSelf-test: planted ${planted.length} defect(s); this run must fail:\n${planted.map((line) => `  - ${line}`).join("\n")}`);
    }
    return prove({
      db,
      window: { start: windowStart, end: windowEnd },
      jobs: workload.jobs,
      runNows: workload.runNows,
      cancels: workload.cancels,
      hits: sink!.hits,
      incarnations: instances.flatMap((instance) => instance.incarnations),
      cleanStops: faults!.cleanStops(),
      logCheck,
      queuedGraceMs: 5000,
      perJob: args["per-job"]!,
    });
  }, 240_000));
  const commitDelta = commitsAfter - commitsBefore;
  figures.push(
    {
      name: "faults that could not be applied or whose target did not come back",
      value: `${faults.log.filter((record) => record.failed).length} of ${faults.log.length}`,
      ok: faults.log.every((record) => !record.failed),
    },
    {
      name: "instances answering GET /api/health and GET /api/jobs with 200 after settling (within 30 s)",
      value: answering.map(({ instance, ok }) => `${instance.current?.id ?? instance.name} ${ok ? "yes" : "NO"}`).join(", "),
      ok: answering.every(({ ok }) => ok),
    },
    {
      name: "database sessions idle in a transaction for over 10 s after settling",
      value: `${staleTransactions} (sessions by state: ${sessions.map((row) => `${row.state} ${row.n}`).join(", ") || "none"})`,
      ok: staleTransactions === 0,
    },
    { name: "engine settled after the stop", value: settled ? `yes, in ${((Date.now() - settleStarted) / 1000).toFixed(0)} s or less` : `no, after ${args["settle-seconds"]} s`, ok: settled },
    {
      name: "commits per execution (pg_stat_database xact_commit)",
      value: `${(commitDelta / Math.max(1, executionsMade.all)).toFixed(2)} per execution row, ${(commitDelta / Math.max(1, executionsMade.ran)).toFixed(2)} per run that was not SKIPPED (${commitDelta} commits, ${executionsMade.all} rows, ${executionsMade.ran} not skipped)`,
      ok: null,
    },
    {
      name: "CPU during the chaos phase",
      value:
        `machine ${(((cpuAfter.busy - cpuBefore.busy) / Math.max(1, cpuAfter.total - cpuBefore.total)) * 100).toFixed(0)} % busy of ${os.cpus().length} cores over ${chaosSeconds.toFixed(0)} s ` +
        `(cores: the three instances ${(instanceCpuDuring / chaosSeconds).toFixed(2)}, PostgreSQL ${(postgresCpuDuring / chaosSeconds).toFixed(2)}, ` +
        `harness ${((harnessCpu.user + harnessCpu.system) / 1e6 / chaosSeconds).toFixed(2)}, everything else on the machine the rest); ` +
        instances.map((i) => `${i.name}: ${i.incarnations.length} start(s), peak RSS ${Math.round(Math.max(...i.incarnations.map((inc) => inc.peakRssMb)))} MiB`).join(", "),
      ok: null,
    },
    {
      name: "GET /api/health latency during the chaos phase (a proxy for event-loop lag)",
      value: `p50 ${Math.round(percentile(healthLatency, 50))} ms, p99 ${Math.round(percentile(healthLatency, 99))} ms, max ${Math.round(Math.max(...healthLatency))} ms (${healthLatency.length} samples)`,
      ok: null,
    },
    { name: "run-now and cancel calls without a usable answer", value: [...workload.refused].map(([key, n]) => `${key} ×${n}`).join(", ") || "none", ok: null },
    { name: "1 GiB bodies streamed", value: `${sink.stats().bigStarted} started, ${(sink.stats().bigBytes / 2 ** 30).toFixed(2)} GiB sent, ${sink.stats().bigCompleted} complete`, ok: null },
  );

  console.log("\nFault log (seconds from the window start):");
  for (const record of faults.log) {
    console.log(`  ${((record.at - windowStart) / 1000).toFixed(1).padStart(6)} s  ${record.kind.padEnd(10)} ${record.target.padEnd(12)} ${record.detail} (${record.tookMs} ms)`);
  }
  if (logCheck.nonJson.length > 0) {
    console.log(`\nNon-JSON output lines (first 10 of ${logCheck.nonJson.length}):`);
    for (const line of logCheck.nonJson.slice(0, 10)) console.log(`  ${line.incarnation} ${line.stream}: ${line.line.slice(0, 200)}`);
  }
  console.log("\nProofs and figures:");
  for (const figure of figures) console.log(`  ${figure.ok === null ? "·" : figure.ok ? "✓" : "✗"} ${figure.name}: ${figure.value}`);
  const failed = figures.filter((figure) => figure.ok === false);
  console.log(failed.length === 0 ? "\nchaos: every proof holds" : `\nchaos: ${failed.length} proof(s) failed: ${failed.map((figure) => figure.name).join("; ")}`);
  console.log(`instance logs: ${logDir}`);

  // ---- Stop everything, cleanly where possible.
  shuttingDown = true;
  clearInterval(leftoverNotes);
  await within("the instances to stop (SIGTERM, SIGKILL after 30 s)", 60_000, () => Promise.all(instances.map((instance) => instance.stop("end-of-run", 30_000))));
  await within("the webhook receiver to close", 15_000, () => sink!.close());
  await within("the proxy to close", 15_000, () => proxy!.close());
  cluster.destroy();
  fs.rmSync(LEFTOVERS, { force: true });
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    cleanupNow();
    process.exit(2);
  },
);
