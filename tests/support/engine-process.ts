// A Tickwork engine in its own OS process, for the multi-process tests: runs the worker (and with
// --scheduler the tick loop) against DATABASE_URL until SIGTERM, then stops cleanly.
// Usage: DATABASE_URL=... TICKWORK_WORKER_ID=... node --import tsx tests/support/engine-process.ts [--scheduler]
import { closeBus } from "../../lib/events/bus";
import { disconnectPrisma, getPrisma } from "../../lib/db";
import { engineConfig } from "../../lib/engine/config";
import { startEngine } from "../../lib/engine/runtime";

const [flag] = process.argv.slice(2);

await getPrisma();
const engine = startEngine(engineConfig({ role: flag === "--scheduler" ? "all" : "worker" }));
process.stdout.write("ready\n");

process.once("SIGTERM", async () => {
  await engine.stop();
  await closeBus();
  await disconnectPrisma();
  process.stdout.write("stopped\n");
  process.exit(0);
});
