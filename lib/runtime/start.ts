// Started once per process from instrumentation.ts (nodejs runtime): bootstrap the database, start
// the engine for this instance's role, and stop cleanly on SIGTERM/SIGINT.
import { disconnectPrisma } from "@/lib/db";
import { closeBus } from "@/lib/events/bus";
import { closeAllStreams } from "@/lib/events/hub";
import { recordPeerAddresses } from "@/lib/http/client-address";
import { logger } from "@/lib/log";
import { startEngine, type EngineHandle } from "@/lib/scheduler/runtime";
import { bootstrap } from "./bootstrap";

const globalForRuntime = globalThis as unknown as { tickworkRuntime?: Promise<void> };

export function startRuntime(): Promise<void> {
  // Before anything awaits: the sign-in limits need the address of every request's connection.
  recordPeerAddresses();
  globalForRuntime.tickworkRuntime ??= (async () => {
    await bootstrap();
    const engine = startEngine();
    registerShutdown(engine);
    logger.info("Tickwork is ready");
  })();
  return globalForRuntime.tickworkRuntime;
}

function registerShutdown(engine: EngineHandle): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}; stopping the scheduler and letting running executions finish`);
    const done = (async () => {
      closeAllStreams();
      await engine.stop();
      await closeBus();
      await disconnectPrisma();
    })().catch((error) => logger.error("Error during shutdown", { error: String(error) }));
    deferExitUntil(done);
    await done;
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/**
 * Next.js handles the same signals and calls process.exit once its HTTP server has closed, which
 * would cut our shutdown short and leave executions RUNNING. Exits wait for ours to finish.
 */
function deferExitUntil(done: Promise<void>): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number) => {
    void done.finally(() => exit(code));
  }) as typeof process.exit;
}
