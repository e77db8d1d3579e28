// The long-running parts of an instance: the tick loop (node-cron, every second), the stalled
// sweeper and the worker, chosen by TICKWORK_ROLE (all, web, scheduler, worker).
import cron, { type ScheduledTask } from "node-cron";
import { env } from "@/lib/env";
import { sweepStalled } from "./sweep";
import { logger } from "@/lib/log";
import { tick } from "./tick";
import { defaultWorkerId, startWorker, type WorkerHandle } from "./worker";

export interface EngineHandle {
  stop(): Promise<void>;
}

export function startEngine(role = env.TICKWORK_ROLE): EngineHandle {
  const instanceId = defaultWorkerId();
  const tasks: ScheduledTask[] = [];
  let worker: WorkerHandle | undefined;
  if (role === "all" || role === "scheduler") {
    tasks.push(
      cron.schedule("* * * * * *", () => tick(new Date(), instanceId).catch((error) => logger.error("Tick failed", { error: String(error) })), {
        name: "tickwork-tick",
        noOverlap: true,
      }),
      cron.schedule(`*/${Math.max(1, Math.round(env.TICKWORK_SWEEP_SECONDS))} * * * * *`, () => sweep(), { name: "tickwork-sweep", noOverlap: true }),
    );
  }
  if (role === "all" || role === "worker") worker = startWorker({ workerId: instanceId });
  logger.info("Engine started", { role, instanceId, concurrency: worker ? env.TICKWORK_WORKER_CONCURRENCY : 0 });
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
      await worker?.stop();
    },
  };
}

async function sweep(): Promise<void> {
  try {
    const swept = await sweepStalled();
    if (swept.length > 0) logger.warn(`Recovered ${swept.length} stalled execution(s)`, { ids: swept.map((c) => c.execution.id) });
  } catch (error) {
    logger.error("Stalled sweep failed", { error: String(error) });
  }
}
