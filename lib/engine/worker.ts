// The worker: claims queued executions up to its concurrency, wakes at once when work is queued
// (an event on the bus) and polls only as a fallback, and stops cleanly: running executions get a
// grace period, then are aborted and requeued.
import os from "node:os";
import { env } from "@/lib/env";
import { subscribe } from "@/lib/events/bus";
import { logger } from "@/lib/log";
import { claimExecutions, nextScheduledTime } from "./claim";
import { createCompleter } from "./completer";
import { startExecution, type RunningExecution } from "./run";

export interface WorkerOptions {
  workerId?: string;
  concurrency?: number;
  pollMs?: number;
}

export interface WorkerHandle {
  workerId: string;
  running(): number;
  /** Stops claiming, waits up to graceMs for running executions, then aborts and requeues the rest. */
  stop(graceMs?: number): Promise<void>;
}

// Coarse enough that fires due close together share one claim, fine enough to keep fire lag low.
const WAKE_RESOLUTION_MS = 50;
const MAX_WAKE_TIMERS = 2000;

export const defaultWorkerId = () => env.TICKWORK_WORKER_ID ?? `${os.hostname()}-${process.pid}`;

export function startWorker(options: WorkerOptions = {}): WorkerHandle {
  const workerId = options.workerId ?? defaultWorkerId();
  const concurrency = options.concurrency ?? env.TICKWORK_WORKER_CONCURRENCY;
  const running = new Map<string, RunningExecution>();
  const completer = createCompleter();
  let stopping = false;
  let pumping = false;
  let again = false;
  const wakeTimers = new Map<number, NodeJS.Timeout>();

  /** Claims again at `time` (an execution's scheduledFor), one timer per wake slot; the poll covers the rest. */
  const wakeAt = (time: number) => {
    const slot = Math.ceil(time / WAKE_RESOLUTION_MS) * WAKE_RESOLUTION_MS;
    if (stopping || wakeTimers.has(slot) || wakeTimers.size >= MAX_WAKE_TIMERS) return;
    wakeTimers.set(
      slot,
      setTimeout(() => {
        wakeTimers.delete(slot);
        void pump();
      }, Math.max(0, slot - Date.now())),
    );
  };

  const pump = async (): Promise<void> => {
    if (stopping) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        const free = concurrency - running.size;
        if (free <= 0) break;
        const claimed = await claimExecutions(workerId, free);
        for (const execution of claimed) {
          const handle = startExecution(execution, workerId, completer);
          running.set(execution.id, handle);
          void handle.done.finally(() => {
            running.delete(execution.id);
            pumpSoon();
          });
        }
        if (claimed.length === free) again = true;
      } while (again && !stopping);
    } catch (error) {
      logger.warn("Claiming executions failed; will retry", { error: String(error) });
    } finally {
      pumping = false;
    }
  };

  // Runs that finish together free their slots together: one claim for all of them.
  let pumpQueued = false;
  const pumpSoon = () => {
    if (pumpQueued) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      void pump();
    });
  };

  /** The fallback when an event was missed: claim, and wake for the next execution due within the minute. */
  const poll = async () => {
    await pump();
    const next = await nextScheduledTime().catch(() => null);
    if (next) wakeAt(next.getTime());
  };

  const unsubscribe = subscribe((event) => {
    if (event.name === "execution.queued") wakeAt(Date.parse(event.data.scheduledFor));
    if (event.name === "execution.cancel_requested") running.get(event.data.id)?.stop("cancel");
  });
  const pollTimer = setInterval(() => void poll(), options.pollMs ?? env.TICKWORK_POLL_MS);
  void poll();

  return {
    workerId,
    running: () => running.size,
    async stop(graceMs = env.TICKWORK_SHUTDOWN_GRACE_SECONDS * 1000) {
      stopping = true;
      clearInterval(pollTimer);
      for (const timer of wakeTimers.values()) clearTimeout(timer);
      unsubscribe();
      const all = () => Promise.all([...running.values()].map((handle) => handle.done));
      const finished = await Promise.race([all().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref())]);
      if (!finished) {
        logger.info(`Requeueing ${running.size} running execution(s) on shutdown`);
        for (const handle of running.values()) handle.stop("shutdown");
        await all();
      }
    },
  };
}
