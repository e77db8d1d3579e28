// Runs one claimed execution: the handler gets an AbortSignal, a throttled progress reporter and a
// logger; the worker heartbeats, enforces the timeout, honours cancel (forcing it after a grace
// period when the handler ignores the signal) and requeues on shutdown.
import { getPrisma, type Execution } from "@/lib/db";
import { env } from "@/lib/env";
import { publish } from "@/lib/events/bus";
import type { Outcome } from "@/lib/executions/complete";
import { invokeHandler } from "@/lib/handlers/invoke";
import { getHandler } from "@/lib/handlers/registry";
import type { HandlerLogger } from "@/lib/handlers/types";
import { logger } from "@/lib/log";
import { summarize } from "@/lib/executions/summary";
import type { Completer } from "./completer";

export type StopReason = "cancel" | "timeout" | "shutdown" | "lost";

const PROGRESS_EVENT_INTERVAL_MS = 100;
const PROGRESS_WRITE_INTERVAL_MS = 1000;

export interface RunningExecution {
  id: string;
  stop(reason: StopReason): void;
  done: Promise<void>;
}

export function startExecution(execution: Execution, workerId: string, completer: Completer): RunningExecution {
  const controller = new AbortController();
  const stop = (reason: StopReason) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const done = run(execution, workerId, controller, completer).catch((error) =>
    logger.error("Execution runner failed", { id: execution.id, error: String(error) }),
  );
  return { id: execution.id, stop, done };
}

async function run(execution: Execution, workerId: string, controller: AbortController, completer: Completer): Promise<void> {
  void publish({ name: "execution.started", data: summarize(execution) });
  const progress = progressReporter(execution);
  const heartbeat = setInterval(() => void beat(execution.id, workerId, progress.latest(), controller), env.TICKWORK_HEARTBEAT_SECONDS * 1000);
  const timeout = setTimeout(() => controller.abort("timeout" satisfies StopReason), execution.timeoutSeconds * 1000);
  try {
    const outcome = await outcomeOf(execution, controller, progress.report);
    // A handler that ignored its signal may still report progress; the run is over for everyone else.
    progress.close();
    const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : null;
    if (reason === "shutdown") return await requeue(execution.id, workerId);
    if (reason === "lost") return;
    await completer.complete({ id: execution.id, outcome, workerId, progress: progress.latest() });
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timeout);
  }
}

/** The handler's outcome; once the signal is aborted, the reason decides, and a handler that ignores it is abandoned after the grace period. */
async function outcomeOf(execution: Execution, controller: AbortController, report: (percent: number, message?: string) => void): Promise<Outcome> {
  const handler = getHandler(execution.type);
  // Not retried: another attempt would find no handler either.
  if (!handler) return { status: "FAILED", code: "UNKNOWN_TYPE", message: `No handler for type "${execution.type}" in this version of Tickwork` };
  const signal = controller.signal;
  // Resolves secrets, validates params, runs the handler and maps what it throws (lib/handlers/invoke.ts).
  const handlerRun = invokeHandler(handler, execution.params, {
    signal,
    progress: report,
    log: handlerLogger(execution),
    attempt: execution.attempt,
    execution: { id: execution.id, jobId: execution.jobId, jobName: execution.jobName, scheduledFor: execution.scheduledFor },
  });
  const outcome = await Promise.race([handlerRun, abandonedAfterGrace(signal)]);
  if (signal.aborted || outcome === "abandoned") return stoppedOutcome(signal.reason as StopReason, execution, outcome);
  return outcome;
}

function stoppedOutcome(reason: StopReason, execution: Execution, handlerOutcome: Outcome | "abandoned"): Outcome {
  const forced = handlerOutcome === "abandoned" ? ` (forced after ${env.TICKWORK_CANCEL_GRACE_SECONDS}s: the handler ignored the signal)` : "";
  if (reason === "timeout") return { status: "FAILED", code: "TIMEOUT", message: `Timed out after ${execution.timeoutSeconds}s${forced}` };
  if (reason === "cancel") return { status: "CANCELLED", message: `Cancelled while running${forced}` };
  return { status: "FAILED", code: "HANDLER_ERROR", message: `Stopped: ${reason}` };
}

function abandonedAfterGrace(signal: AbortSignal): Promise<"abandoned"> {
  return new Promise((resolve) => {
    const onAbort = () => {
      const grace = (signal.reason as StopReason) === "shutdown" ? 0 : env.TICKWORK_CANCEL_GRACE_SECONDS * 1000;
      setTimeout(() => resolve("abandoned"), grace).unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function beat(id: string, workerId: string, progress: { percent: number; message: string | null } | null, controller: AbortController) {
  try {
    const db = await getPrisma();
    const [row] = await db.execution.updateManyAndReturn({
      where: { id, status: "RUNNING", workerId },
      data: { lastHeartbeatAt: new Date(), ...(progress ? { progressPercent: progress.percent, progressMessage: progress.message } : {}) },
      select: { cancelRequestedAt: true },
    });
    if (!row) controller.abort("lost" satisfies StopReason);
    else if (row.cancelRequestedAt) controller.abort("cancel" satisfies StopReason);
  } catch (error) {
    logger.warn("Heartbeat failed", { id, error: String(error) });
  }
}

/** Clean stop: the execution goes back to the queue for another worker (or this one after restart). */
async function requeue(id: string, workerId: string): Promise<void> {
  const db = await getPrisma();
  const [row] = await db.execution.updateManyAndReturn({
    where: { id, status: "RUNNING", workerId },
    data: { status: "QUEUED", workerId: null, startedAt: null, lastHeartbeatAt: null, queueDelayMs: null, progressPercent: null, progressMessage: null },
  });
  if (row) await publish({ name: "execution.queued", data: summarize(row) });
}

function progressReporter(execution: Execution) {
  let latest: { percent: number; message: string | null } | null = null;
  let lastEventAt = 0;
  let pendingEvent: NodeJS.Timeout | undefined;
  let pendingWrite: NodeJS.Timeout | undefined;
  let closed = false;
  const sendEvent = () => {
    // Also when sending at once: a timer still pending from an earlier report (late under load) would repeat this event.
    clearTimeout(pendingEvent);
    pendingEvent = undefined;
    lastEventAt = Date.now();
    if (latest) void publish({ name: "execution.progress", data: { id: execution.id, jobId: execution.jobId, ...latest } });
  };
  const write = async () => {
    pendingWrite = undefined;
    if (!latest) return;
    const db = await getPrisma();
    await db.execution.updateMany({ where: { id: execution.id, status: "RUNNING" }, data: { progressPercent: latest.percent, progressMessage: latest.message } });
  };
  return {
    latest: () => latest,
    report(percent: number, message?: string) {
      if (closed) return;
      const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
      latest = { percent: clamped, message: message?.slice(0, 500) ?? null };
      const wait = PROGRESS_EVENT_INTERVAL_MS - (Date.now() - lastEventAt);
      if (wait <= 0) sendEvent();
      else pendingEvent ??= setTimeout(sendEvent, wait);
      // Stored a second later at most: short runs store their last progress only when they finish.
      pendingWrite ??= setTimeout(() => void write().catch(() => undefined), PROGRESS_WRITE_INTERVAL_MS);
    },
    /** Stops reporting and drops a pending throttled event: the finished event carries the last progress. */
    close() {
      closed = true;
      clearTimeout(pendingEvent);
      clearTimeout(pendingWrite);
      pendingEvent = undefined;
      pendingWrite = undefined;
    },
  };
}

function handlerLogger(execution: Execution): HandlerLogger {
  const context = { executionId: execution.id, job: execution.jobName };
  return {
    info: (message, data) => logger.info(message, { ...context, ...data }),
    warn: (message, data) => logger.warn(message, { ...context, ...data }),
    error: (message, data) => logger.error(message, { ...context, ...data }),
  };
}
