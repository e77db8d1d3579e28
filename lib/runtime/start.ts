// Started once per process from instrumentation.ts (nodejs runtime).
import { disconnectPrisma } from "@/lib/db";
import { logger } from "@/lib/log";
import { bootstrap } from "./bootstrap";

const globalForRuntime = globalThis as unknown as { tickworkRuntime?: Promise<void> };

export function startRuntime(): Promise<void> {
  globalForRuntime.tickworkRuntime ??= (async () => {
    await bootstrap();
    registerShutdown();
    logger.info("Tickwork is ready");
  })();
  return globalForRuntime.tickworkRuntime;
}

function registerShutdown(): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}; closing the database`);
    await disconnectPrisma().catch((error) => logger.error("Error while closing the database", { error: String(error) }));
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
