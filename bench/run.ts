// npm run bench – measures DESIGN.md's performance figures on PostgreSQL and prints each beside
// its target. Options: --only=drain,lag,burst,soak,http,webhook,logs,plans  --soak-seconds=N  --drain=N
import { parseArgs } from "node:util";
import os from "node:os";
import path from "node:path";
import { dropDatabase, figures, freshDatabase, printTable, report } from "./support";

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "drain,lag,burst,soak,http,webhook,logs,plans" },
    "soak-seconds": { type: "string", default: "60" },
    drain: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "64" },
    keep: { type: "boolean", default: false },
  },
});
const only = new Set(values.only!.split(","));
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
    console.log(`Drain: ${count} no-op executions, one worker`);
    const ours = await engine.drain(url, count, concurrency);
    const { graphileDrain } = await import("./graphile");
    const graphileUrl = await freshDatabase(`${DB}_graphile`);
    const theirs = await graphileDrain(graphileUrl, count, concurrency);
    await dropDatabase(`${DB}_graphile`);
    report("graphile-worker on the same database server and machine", `${Math.round(theirs)}/s`, "reference", null);
    report("Tickwork drain rate as a ratio to graphile-worker", `${(ours / theirs).toFixed(2)}×`, "printed", null);
  }
  if (only.has("lag")) {
    console.log("\nFire lag: 10,000 jobs spread over the minute (about 70 s)");
    await engine.fireLag(10_000);
  }
  if (only.has("burst")) {
    console.log("\nBurst: 10,000 jobs due in the same second");
    await engine.sameSecond(10_000);
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
    await httpFigures(url, 10_000);
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
