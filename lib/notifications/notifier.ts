// The notifier: a loop beside the worker that notices late runs and sends due deliveries with a
// pool of its own (at most `concurrency` at once, each with a deadline), so a dead or slow endpoint
// never holds a worker slot, a database connection or the tick. Started by startEngine (roles all
// and worker) and for the length of each HTTP tick. Stopping waits a little for sends in flight;
// one cut off is sent again by whoever claims it after its lease.
import { logger } from "@/lib/log";
import { describeThrown } from "@/lib/storable";
import { notifierConfig, type NotifierConfig } from "./config";
import { attemptDelivery, claimDeliveries } from "./deliver";
import { noticeLateRuns } from "./late";

export interface NotifierHandle {
  inFlight(): number;
  stop(graceMs?: number): Promise<void>;
}

export function startNotifier(config: NotifierConfig = notifierConfig()): NotifierHandle {
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let turning = false;
  let again = false;
  let failing = false;
  let nextLateCheck = 0;

  const turn = async (): Promise<void> => {
    if (stopping) return;
    if (turning) {
      again = true;
      return;
    }
    turning = true;
    try {
      do {
        again = false;
        if (Date.now() >= nextLateCheck) {
          nextLateCheck = Date.now() + config.lateCheckMs;
          await noticeLateRuns(config);
        }
        const claimed = await claimDeliveries(config.concurrency - inFlight.size, config);
        for (const delivery of claimed) {
          const sending: Promise<unknown> = attemptDelivery(delivery, config)
            .catch((error) => logger.warn("Recording a notification delivery failed; it is sent again after its lease", { id: delivery.id, error: describeThrown(error) }))
            .finally(() => {
              inFlight.delete(sending);
              // A freed slot claims the next due delivery at once instead of at the next poll.
              void turn();
            });
          inFlight.add(sending);
        }
      } while (again && !stopping);
      if (failing) logger.info("Notification deliveries work again");
      failing = false;
    } catch (error) {
      if (!failing) logger.warn("Notification deliveries failed; retrying every poll", { error: describeThrown(error) });
      failing = true;
    } finally {
      turning = false;
    }
  };

  const timer = setInterval(() => void turn(), config.pollMs);
  void turn();
  return {
    inFlight: () => inFlight.size,
    async stop(graceMs = 5000) {
      stopping = true;
      clearInterval(timer);
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
