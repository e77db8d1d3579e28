// The worker: claims queued executions up to its concurrency, wakes at once when work is queued
// (an event on the bus) and polls only as a fallback, heartbeats everything it holds in one
// statement, and stops cleanly: running executions get a grace period, then are aborted and
// requeued, and outcomes not yet written are written before it returns. workOnce() is the same
// path without the loop: claim what is due, run it, complete it.
import { Prisma, queryRows, type Execution } from "@/lib/db";
import { subscribe } from "@/lib/events/bus";
import { logger } from "@/lib/log";
import { describeThrown } from "@/lib/storable";
import { claimExecutions, claimTime, nextScheduledTime, giveBackClaims } from "./claim";
import type { Completion } from "./complete";
import { createCompleter } from "./completer";
import { engineConfig, type EngineConfig } from "./config";
import { startExecution, type RunningExecution, type StopReason } from "./run";

export interface WorkerHandle {
  workerId: string;
  running(): number;
  /** Stops claiming (a claim in flight gets up to 5 s), waits up to graceMs for running executions, then aborts and requeues the rest (`budget`: see StopReason). */
  stop(graceMs?: number, reason?: "shutdown" | "budget"): Promise<{ stopped: number }>;
}

// Coarse enough that fires due close together share one claim, fine enough to keep fire lag low.
const WAKE_RESOLUTION_MS = 50;
const MAX_WAKE_TIMERS = 2000;
/** How long a stop waits for a claim in flight to answer, before the grace period of the runs. */
const CLAIM_PATIENCE_MS = 5000;
/** Failed claims remembered in a row (one a poll in an outage): over a quarter of an hour at the default poll. */
const MAX_UNANSWERED_CLAIMS = 1000;

/**
 * What a worker holds: its executions from claim until their outcome is written (`running`, all
 * heartbeated), the handlers among them still going (`active`, what the concurrency limits), and the
 * completer that writes their outcomes. A run frees its slot when its handler returns, so the next
 * one starts while the outcome waits for its batch; claiming pauses while more outcomes wait than
 * the completer's writers take in one round.
 */
function createRunner(config: EngineConfig) {
  const running = new Map<string, RunningExecution>();
  let active = 0;
  const maxRecording = config.completeBatch * config.completeWriters;
  const completer = createCompleter(config);
  let failing = false;

  // One beat at a time, and a beat never waits for a row: a run whose row another transaction
  // holds (its own outcome being written, a cancel, a sweep) is beaten next time. Beats that waited
  // piled up one an interval, deadlocked with one another and took the whole connection pool.
  let beating = false;
  const beat = async () => {
    const ids = [...running.keys()];
    if (ids.length === 0 || beating) return;
    beating = true;
    try {
      const mine = await queryRows<{ id: string; cancel: boolean }>(Prisma.sql`
        WITH beaten AS (
          UPDATE executions SET last_heartbeat_at = ${new Date()}
          WHERE id IN (
            SELECT id FROM executions WHERE id = ANY(${ids}::uuid[]) AND status = 'RUNNING' AND worker_id = ${config.workerId}
            FOR UPDATE SKIP LOCKED)
          RETURNING id, cancel_requested_at IS NOT NULL AS cancel)
        SELECT id, cancel FROM beaten
        UNION ALL
        SELECT id, cancel_requested_at IS NOT NULL FROM executions
        WHERE id = ANY(${ids}::uuid[]) AND status = 'RUNNING' AND worker_id = ${config.workerId} AND id NOT IN (SELECT id FROM beaten)`);
      if (failing) logger.info("Heartbeats are reaching the database again");
      failing = false;
      const byId = new Map(mine.map((row) => [row.id, row.cancel]));
      for (const id of ids) {
        const cancel = byId.get(id);
        // Gone: ended by a sweeper or a forced cancel elsewhere, or its outcome just committed (then stopping is a no-op).
        if (cancel === undefined) running.get(id)?.stop("lost");
        else if (cancel) running.get(id)?.stop("cancel");
      }
    } catch (error) {
      if (!failing) logger.warn("Heartbeat failed; retrying", { count: ids.length, error: describeThrown(error) });
      failing = true;
    } finally {
      beating = false;
    }
  };
  const heartbeat = setInterval(() => void beat(), config.heartbeatMs);
  const all = () => Promise.all([...running.values()].map((handle) => handle.done));

  return {
    running,
    /** `onFree` is called when the run frees its slot, and again when its outcome is written. */
    start(execution: Parameters<typeof startExecution>[0], onFree?: () => void): RunningExecution {
      const handle = startExecution(execution, { config, completer });
      running.set(execution.id, handle);
      active += 1;
      void handle.settled.then(() => {
        active -= 1;
        onFree?.();
      });
      void handle.done.finally(() => {
        running.delete(execution.id);
        onFree?.();
      });
      return handle;
    },
    /** How many more runs may be claimed now. */
    free() {
      const recording = running.size - active;
      return recording >= maxRecording ? 0 : Math.min(config.concurrency - active, maxRecording - recording);
    },
    stopAll(reason: StopReason) {
      for (const handle of running.values()) handle.stop(reason);
    },
    all,
    /** Waits for the runs and their outcomes (a write failing past `deadlineMs` is given up), then stops heartbeating. */
    async close(deadlineMs = Infinity) {
      completer.giveUpAfter(deadlineMs);
      await all();
      await completer.drain();
      clearInterval(heartbeat);
    },
  };
}

export interface WorkOnceResult {
  claimed: number;
  completions: Completion[];
}

/** Claims what is due now (up to the concurrency), runs it to the end, and writes the outcomes. */
export async function workOnce(config: EngineConfig = engineConfig()): Promise<WorkOnceResult> {
  const runner = createRunner(config);
  try {
    const claimedAt = claimTime();
    const claimed = await claimExecutions(config.workerId, config.concurrency, claimedAt).catch(async (error) => {
      // Its runs, should the claim have committed, go back to the queue if the database answers now.
      await giveBackClaims(config.workerId, [claimedAt], []).catch(() => undefined);
      throw error;
    });
    for (const execution of claimed) runner.start(execution);
    const completions = await runner.all();
    return { claimed: claimed.length, completions: completions.filter((completion): completion is Completion => completion !== null) };
  } finally {
    await runner.close();
  }
}

/** Told of every run the worker starts and every outcome it records (the HTTP tick counts them). */
export interface WorkerObserver {
  started?(execution: Execution): void;
  finished?(completion: Completion): void;
}

export function startWorker(config: EngineConfig = engineConfig(), observer: WorkerObserver = {}): WorkerHandle {
  const { workerId } = config;
  const runner = createRunner(config);
  const { running } = runner;
  let stopping = false;
  /** The claim loop in progress, if any; stop() waits for it. */
  let pumping: Promise<void> | null = null;
  let again = false;
  let claimFailing = false;
  /** The times of claims that failed, whose runs may be RUNNING here unheld until given back. */
  let unanswered: Date[] = [];
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

  /** Claims while slots are free. One loop at a time: a call during one makes it go round again. */
  const pump = (): Promise<void> => {
    if (stopping) return Promise.resolve();
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = claimWhileFree().finally(() => (pumping = null));
    return pumping;
  };

  const claimWhileFree = async (): Promise<void> => {
    try {
      do {
        again = false;
        if (unanswered.length > 0) {
          const released = await giveBackClaims(workerId, unanswered, [...running.keys()]);
          if (released > 0) logger.warn(`Requeued ${released} execution(s) claimed by a claim whose answer was lost`);
          unanswered = [];
        }
        const free = runner.free();
        if (free <= 0) break;
        const claimedAt = claimTime();
        const claimed = await claimExecutions(workerId, free, claimedAt).catch((error: unknown) => {
          // In a long outage the oldest are dropped: should one of those have committed, the stalled sweep ends its runs.
          if (unanswered.push(claimedAt) > MAX_UNANSWERED_CLAIMS) unanswered.shift();
          throw error;
        });
        if (stopping) {
          // Stopped while the claim was in flight: nothing it took starts here.
          if (claimed.length > 0) await giveBackClaims(workerId, [claimedAt], []);
          break;
        }
        for (const execution of claimed) {
          observer.started?.(execution);
          const handle = runner.start(execution, pumpSoon);
          if (observer.finished) void handle.done.then((completion) => completion && observer.finished!(completion));
        }
        if (claimed.length === free) again = true;
      } while (again && !stopping);
      if (claimFailing) logger.info("Claiming executions works again");
      claimFailing = false;
    } catch (error) {
      if (!claimFailing) logger.warn("Claiming executions failed; will retry", { error: describeThrown(error) });
      claimFailing = true;
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
  const pollTimer = setInterval(() => void poll(), config.pollMs);
  void poll();

  return {
    workerId,
    running: () => running.size,
    async stop(graceMs = config.shutdownGraceMs, reason: "shutdown" | "budget" = "shutdown") {
      stopping = true;
      clearInterval(pollTimer);
      for (const timer of wakeTimers.values()) clearTimeout(timer);
      unsubscribe();
      // A claim in flight gives back what it took (also if it answers after this returns); runs
      // started before it are the runner's. A database that does not answer delays a stop only so long.
      const claimsSettled = (async () => {
        await pumping;
        await giveBackClaims(workerId, unanswered, [...running.keys()]).catch(() => undefined);
      })();
      await Promise.race([claimsSettled, new Promise((resolve) => setTimeout(resolve, CLAIM_PATIENCE_MS).unref())]);
      const finished = await Promise.race([
        runner.all().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref()),
      ]);
      const stopped = finished ? 0 : running.size;
      if (!finished) {
        logger.info(`Requeueing ${running.size} running execution(s) on ${reason === "budget" ? "the end of the HTTP tick's budget" : "shutdown"}`);
        runner.stopAll(reason);
      }
      // Outcomes still waiting for the database (an outage) get as long again as the runs had.
      await runner.close(Math.max(graceMs, 5000));
      return { stopped };
    },
  };
}
