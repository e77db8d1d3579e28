// Starting and stopping the engine. startEngine(config) runs this instance's loops, chosen by its
// role: the tick every second and the stalled sweep (all, scheduler) and the worker (all, worker).
// startRuntime() is the process around it, called once from instrumentation.ts: bootstrap the
// database, start the engine from the environment's config, and stop cleanly on SIGTERM/SIGINT.
// A database outage only pauses the loops: each failure is logged once, and the next second tries again.
import { Cron } from "croner";
import { disconnectPrisma } from "@/lib/db";
import { closeBus } from "@/lib/events/bus";
import { closeAllStreams } from "@/lib/events/hub";
import { recordPeerAddresses } from "@/lib/http/client-address";
import { captureProcessOutput, logger } from "@/lib/log";
import { startNotifier, type NotifierHandle } from "@/lib/notifications/notifier";
import { bootstrap } from "@/lib/runtime/bootstrap";
import { limitHeapGrowth } from "@/lib/runtime/heap";
import { describeThrown } from "@/lib/storable";
import { engineConfig, type EngineConfig } from "./config";
import { sweepStalled } from "./sweep";
import { tick } from "./tick";
import { startWorker, type WorkerHandle } from "./worker";

export interface EngineHandle {
  stop(): Promise<void>;
}

export function startEngine(config: EngineConfig = engineConfig()): EngineHandle {
  const loops: Cron[] = [];
  let worker: WorkerHandle | undefined;
  let notifier: NotifierHandle | undefined;
  if (config.role === "all" || config.role === "scheduler") {
    loops.push(
      every("* * * * * *", "Tick", () => tick(new Date(), config)),
      // An interval rather than a step in the seconds field, which cannot exceed 59 (TICKWORK_SWEEP_SECONDS goes to 3600).
      every("* * * * * *", "Stalled sweep", async () => {
        const swept = await sweepStalled(new Date(), config.stallMs);
        if (swept.length > 0) logger.warn(`Recovered ${swept.length} stalled execution(s)`, { ids: swept.map((c) => c.execution.id) });
      }, Math.max(1, Math.round(config.sweepMs / 1000))),
    );
  }
  if (config.role === "all" || config.role === "worker") {
    worker = startWorker(config);
    notifier = startNotifier();
  }
  logger.info("Engine started", { role: config.role, instanceId: config.workerId, concurrency: worker ? config.concurrency : 0 });
  return {
    async stop() {
      for (const loop of loops) loop.stop();
      await worker?.stop();
      await notifier?.stop();
    },
  };
}

/** A loop on a cron pattern that never overlaps itself and reports a run of failures once, and the recovery. */
function every(pattern: string, what: string, run: () => Promise<unknown>, intervalSeconds?: number): Cron {
  let failing = false;
  return new Cron(pattern, { protect: true, ...(intervalSeconds ? { interval: intervalSeconds } : {}) }, async () => {
    try {
      await run();
      if (failing) logger.info(`${what} works again`);
      failing = false;
    } catch (error) {
      if (!failing) logger.error(`${what} failed; retrying every run until it works`, { error: describeThrown(error) });
      failing = true;
    }
  });
}

const globalForRuntime = globalThis as unknown as { tickworkRuntime?: Promise<void> };

export function startRuntime(): Promise<void> {
  globalForRuntime.tickworkRuntime ??= (async () => {
    // Before anything awaits: the sign-in limits need the address of every request's connection.
    recordPeerAddresses();
    captureProcessOutput();
    limitHeapGrowth();
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
    })().catch((error) => logger.error("Error during shutdown", { error: describeThrown(error) }));
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
