// npm run bench – measures DESIGN.md's performance figures on PostgreSQL and prints each beside
// its target. Options: --only=drain,lag,burst,soak,http,webhook,logs,plans  --http=api,events,console,pages
// --rounds=N (drain, lag, burst and the HTTP figures are the median of N alternating rounds)  --soak-seconds=N  --drain=N
import { parseArgs } from "node:util";
import os from "node:os";
import path from "node:path";
import { alternate, dropDatabase, figures, freshDatabase, median, printTable, report, roundsOf, settings } from "./support";

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "drain,lag,burst,soak,http,webhook,logs,plans" },
    "soak-seconds": { type: "string", default: "60" },
    drain: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "64" },
    rounds: { type: "string", default: "3" },
    http: { type: "string", default: "api,events,console,pages" },
    keep: { type: "boolean", default: false },
  },
});
const only = new Set(values.only!.split(","));
settings.rounds = Math.max(1, Number(values.rounds));
const DB = "tickwork_bench";

const url = await freshDatabase(DB);
process.env.DATABASE_URL = url;
process.env.TICKWORK_LOG_LEVEL ??= "error";
process.env.TICKWORK_DEMO_JOBS = "false";
process.env.TICKWORK_WORKER_CONCURRENCY = values.concurrency;
// The command handler, for the run-log figures: many-lines prints as fast as seq can.
process.env.TICKWORK_COMMANDS ??= path.resolve(import.meta.dirname, "../tests/e2e/support/commands.json");
console.log(`Tickwork bench on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`PostgreSQL database ${DB} (fresh)\n`);

const engine = await import("./engine");
const { getPrisma, disconnectPrisma } = await import("@/lib/db");
await getPrisma();

try {
  if (only.has("drain")) {
    const count = Number(values.drain);
    const concurrency = Number(values.concurrency);
    console.log(`Drain: ${count} no-op executions, one worker, ${settings.rounds} rounds alternating with graphile-worker`);
    const { graphileDrain } = await import("./graphile");
    const graphileUrl = await freshDatabase(`${DB}_graphile`);
    const rounds = await alternate({
      tickwork: () => engine.drain(url, count, concurrency),
      graphile: () => graphileDrain(graphileUrl, count, concurrency),
      batched: () => graphileDrain(graphileUrl, count, concurrency, true),
    });
    await dropDatabase(`${DB}_graphile`);
    const ours = rounds.tickwork.map((round) => round.rate);
    const ratio = median(ours.map((rate, i) => rate / rounds.graphile[i]));
    report("no-op executions drained per second (PostgreSQL, one instance)", `${Math.round(median(ours))}/s [${roundsOf(ours)}] (${count} per round, concurrency ${concurrency})`, ">= 2,000/s", median(ours) >= 2000);
    report("graphile-worker 0.17 unbatched on the same database server and machine", `${Math.round(median(rounds.graphile))}/s [${roundsOf(rounds.graphile)}]`, "reference", null);
    report("Tickwork drain rate as a ratio to graphile-worker (median of the rounds' ratios)", `${ratio.toFixed(2)}×`, ">= 1.0×", ratio >= 1);
    const batchedRatio = median(ours.map((rate, i) => rate / rounds.batched[i]));
    report("graphile-worker 0.17 batched (localQueue 500, completions batched) on the same server", `${Math.round(median(rounds.batched))}/s [${roundsOf(rounds.batched)}]`, "reference", null);
    report("Tickwork drain rate as a ratio to graphile-worker batched (median of the rounds' ratios)", `${batchedRatio.toFixed(2)}×`, ">= 0.5×", batchedRatio >= 0.5);
    report("commits per execution (drain)", median(rounds.tickwork.map((round) => round.commitsPerExecution)).toFixed(2), "as few as possible (printed)", null);
    report("WAL bytes per execution (drain)", `${Math.round(median(rounds.tickwork.map((round) => round.walBytesPerExecution)))} B`, "as few as possible (printed)", null);
  }
  if (only.has("lag")) {
    console.log(`\nFire lag: 10,000 jobs spread over the minute (about 70 s a round, ${settings.rounds} rounds)`);
    const { lag } = await alternate({ lag: () => engine.fireLag(10_000) });
    const p99 = median(lag.map((round) => round.p99));
    report(
      `fire lag p99 (startedAt - scheduledFor), 10,000 jobs over the minute, concurrency ${values.concurrency}`,
      `p99 ${p99} ms [${roundsOf(lag.map((round) => round.p99))}], p50 ${median(lag.map((round) => round.p50))} ms, p95 ${median(lag.map((round) => round.p95))} ms`,
      "<= 250 ms",
      p99 <= 250,
    );
  }
  if (only.has("burst")) {
    console.log(`\nBurst: 10,000 jobs due in the same second, ${settings.rounds} rounds`);
    const { burst } = await alternate({ burst: () => engine.sameSecond(10_000) });
    const spread = median(burst.map((round) => round.spread));
    const loop = median(burst.map((round) => round.loopDelayP99));
    report(`10,000 jobs due in the same second: all started within (concurrency ${values.concurrency})`, `${spread.toFixed(2)} s [${roundsOf(burst.map((round) => round.spread), 2)}]`, "<= 3 s", spread <= 3);
    report(
      "event-loop delay p99 in the engine's process during that burst",
      `${loop.toFixed(0)} ms [${roundsOf(burst.map((round) => round.loopDelayP99))}], max ${median(burst.map((round) => round.loopDelayMax)).toFixed(0)} ms`,
      "<= 100 ms",
      loop <= 100,
    );
    // What a new user gets: the default concurrency (the bench's --concurrency is for the figures above).
    const { DEFAULT_WORKER_CONCURRENCY } = await import("@/lib/env");
    const { small } = await alternate({ small: () => engine.sameSecond(2000, { concurrency: DEFAULT_WORKER_CONCURRENCY }) });
    const smallSpread = median(small.map((round) => round.spread));
    report(
      `2,000 jobs due in the same second, default settings (concurrency ${DEFAULT_WORKER_CONCURRENCY}): all started within`,
      `${smallSpread.toFixed(2)} s [${roundsOf(small.map((round) => round.spread), 2)}]`,
      "<= 1 s",
      smallSpread <= 1,
    );
  }
  if (only.has("soak")) {
    const seconds = Number(values["soak-seconds"]);
    console.log(`\nSoak: two instances for ${seconds} s, one killed midway`);
    const { soak } = await import("./soak");
    await soak(url, 100, seconds);
  }
  if (only.has("http")) {
    console.log("\nHTTP: the production server with 10,000 jobs");
    const { httpFigures } = await import("./http");
    await httpFigures(url, 10_000, new Set(values.http!.split(",")));
  }
  if (only.has("webhook")) {
    console.log("\nWebhook: the production server while a local webhook streams 4 GB");
    const { webhookMemory } = await import("./webhook");
    await webhookMemory(url);
  }
  if (only.has("logs")) {
    console.log("\nRun logs: 8 commands printing 10,000 lines each, beside 200 no-op runs");
    const { runLogs } = await import("./logs");
    await runLogs(url, 8, 10_000);
  }
  if (only.has("plans")) {
    console.log("\nPlans: execution read paths with 1,000,000 executions");
    const { plans } = await import("./plans");
    await plans(url, 1_000_000);
  }
} finally {
  printTable();
  const { closeBus } = await import("@/lib/events/bus");
  await closeBus();
  await disconnectPrisma();
  if (!values.keep) await dropDatabase(DB).catch(() => undefined);
}
process.exit(figures.some((figure) => figure.ok === false) ? 1 : 0);
