// Runs one claimed execution: the handler gets an AbortSignal, a throttled progress reporter and a
// logger; the run enforces the timeout, honours cancel (forcing it after a grace period when the
// handler ignores the signal), hands the outcome to the completer and requeues on shutdown. Once
// the handler has returned (or was abandoned) the run is settled: its worker slot is free, and the
// outcome, stamped with that moment, is recorded after. The worker heartbeats the execution until
// the completer has written its outcome.
import { getPrisma, type Execution } from "@/lib/db";
import { publish } from "@/lib/events/bus";
import { summarize } from "@/lib/executions/summary";
import { getHandler } from "@/lib/handlers/registry";
import { invokeHandler } from "@/lib/handlers/invoke";
import type { HandlerLogger } from "@/lib/handlers/types";
import { logger } from "@/lib/log";
import { describeThrown, storableText } from "@/lib/storable";
import { backToQueue } from "./claim";
import { MAX_PROGRESS_MESSAGE_BYTES, type Completion, type Outcome } from "./complete";
import type { Completer } from "./completer";
import type { EngineConfig } from "./config";
import { openRunLog, type RunLog } from "./logs";

/**
 * `budget`: an HTTP tick's time budget ended. A clean stop, except that a run cut off after running
 * at least half a budget counts: the second time, it fails BUDGET_EXCEEDED (it does not fit).
 */
export type StopReason = "cancel" | "timeout" | "shutdown" | "budget" | "lost";

const PROGRESS_EVENT_INTERVAL_MS = 100;
const PROGRESS_WRITE_INTERVAL_MS = 1000;

export interface RunningExecution {
  id: string;
  stop(reason: StopReason): void;
  /** Resolves when the handler has returned or was abandoned; a stop after that changes nothing. */
  settled: Promise<void>;
  /** The completion once written; null when the run was requeued, lost, or its outcome not recorded. */
  done: Promise<Completion | null>;
}

export interface RunContext {
  config: Pick<EngineConfig, "workerId" | "cancelGraceMs" | "budgetMs">;
  completer: Completer;
}

export function startExecution(execution: Execution, context: RunContext): RunningExecution {
  const controller = new AbortController();
  const stop = (reason: StopReason) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const done = run(execution, context, controller, settle)
    .catch((error) => {
      logger.error("Execution runner failed", { id: execution.id, error: describeThrown(error) });
      return null;
    })
    .finally(settle);
  return { id: execution.id, stop, settled, done };
}

async function run(execution: Execution, { config, completer }: RunContext, controller: AbortController, settle: () => void): Promise<Completion | null> {
  void publish({ name: "execution.started", data: summarize(execution) });
  const startedAt = Date.now();
  const progress = progressReporter(execution);
  const runLog = openRunLog(execution);
  const timeout = setTimeout(() => controller.abort("timeout" satisfies StopReason), execution.timeoutSeconds * 1000);
  let outcome: Outcome;
  let reason: StopReason | null = null;
  let finishedAt = new Date();
  try {
    outcome = await outcomeOf(execution, controller, { report: progress.report, log: handlerLogger(execution, runLog) }, config.cancelGraceMs);
  } finally {
    // A handler that ignored its signal may still report progress or log; the run is over for everyone else.
    progress.close();
    clearTimeout(timeout);
    // Settled: what stopped it is decided now (a cancel or a shutdown while it is recorded changes
    // nothing), and its slot is free for the next run.
    reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : null;
    finishedAt = new Date();
    settle();
    // The log is written before the outcome, so a finished run's log is whole.
    await runLog.close();
  }
  // A run that started late in a budget (behind a backlog) was not given a fair try: it does not count.
  const fairTry = reason === "budget" && Date.now() - startedAt >= (config.budgetMs ?? 0) / 2;
  if (reason === "shutdown" || (reason === "budget" && !(fairTry && execution.budgetRequeues >= 1))) {
    await requeue(execution.id, config.workerId, fairTry);
    return null;
  }
  if (reason === "lost") return null;
  return completer.complete({ id: execution.id, outcome, workerId: config.workerId, progress: progress.latest(), finishedAt });
}

/** The handler's outcome; once the signal is aborted, the reason decides, and a handler that ignores it is abandoned after the grace period. */
async function outcomeOf(
  execution: Execution,
  controller: AbortController,
  { report, log }: { report: (percent: number, message?: string) => void; log: HandlerLogger },
  cancelGraceMs: number,
): Promise<Outcome> {
  const handler = getHandler(execution.type);
  // Not retried: another attempt would find no handler either.
  if (!handler) return { status: "FAILED", code: "UNKNOWN_TYPE", message: `No handler for type "${execution.type}" in this version of Tickwork` };
  const signal = controller.signal;
  // Resolves secrets, validates params, runs the handler and maps what it throws (lib/handlers/invoke.ts).
  const handlerRun = invokeHandler(handler, execution.params, {
    signal,
    progress: report,
    log,
    stopGraceMs: cancelGraceMs,
    attempt: execution.attempt,
    execution: { id: execution.id, jobId: execution.jobId, jobName: execution.jobName, scheduledFor: execution.scheduledFor },
  });
  // A handler that stops itself (a command: its process group is killed) is waited for; a safety margin still bounds it.
  const abandon = handler.stopsItself ? abandonedAfterGrace(signal, cancelGraceMs + STOPS_ITSELF_MARGIN_MS, true) : abandonedAfterGrace(signal, cancelGraceMs);
  const outcome = await Promise.race([handlerRun, abandon]);
  if (signal.aborted || outcome === "abandoned") return stoppedOutcome(signal.reason as StopReason, execution, outcome, cancelGraceMs);
  return outcome;
}

function stoppedOutcome(reason: StopReason, execution: Execution, handlerOutcome: Outcome | "abandoned", cancelGraceMs: number): Outcome {
  const forced = handlerOutcome === "abandoned" ? ` (forced after ${cancelGraceMs / 1000}s: the handler ignored the signal)` : "";
  if (reason === "timeout") return { status: "FAILED", code: "TIMEOUT", message: `Timed out after ${execution.timeoutSeconds}s${forced}` };
  if (reason === "cancel") return { status: "CANCELLED", message: `Cancelled while running${forced}` };
  if (reason === "budget") {
    return { status: "FAILED", code: "BUDGET_EXCEEDED", message: "Cut off twice by the end of an HTTP tick's budget after running at least half of it (TICKWORK_HTTP_TICK_SECONDS); run it where a long-lived worker runs, or make it shorter" };
  }
  return { status: "FAILED", code: "HANDLER_ERROR", message: `Stopped: ${reason}` };
}

const STOPS_ITSELF_MARGIN_MS = 15_000;

function abandonedAfterGrace(signal: AbortSignal, cancelGraceMs: number, evenOnShutdown = false): Promise<"abandoned"> {
  return new Promise((resolve) => {
    const onAbort = () => {
      const reason = signal.reason as StopReason;
      const grace = (reason === "shutdown" || reason === "budget") && !evenOnShutdown ? 0 : cancelGraceMs;
      setTimeout(() => resolve("abandoned"), grace).unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

const REQUEUE_TRIES = 5;

/** Clean stop: the execution goes back to the queue for another worker (or this one after restart). */
async function requeue(id: string, workerId: string, budget: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await backToQueue({ id, workerId }, budget ? { budgetRequeues: { increment: 1 } } : {});
      return;
    } catch (error) {
      // Left RUNNING, the stalled sweep ends it (and retries it if attempts remain).
      if (attempt + 1 >= REQUEUE_TRIES) return logger.error("Could not requeue an execution at shutdown", { id, error: describeThrown(error) });
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
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
  // One write at a time: a write that waits for the run's row (its outcome being written) is not
  // joined by another every interval; what was reported meanwhile is written after it.
  const write = async () => {
    const written = latest;
    if (written) {
      await getPrisma()
        .then((db) => db.execution.updateMany({ where: { id: execution.id, status: "RUNNING" }, data: { progressPercent: written.percent, progressMessage: written.message } }))
        .catch(() => undefined);
    }
    pendingWrite = !closed && latest !== written ? setTimeout(() => void write(), PROGRESS_WRITE_INTERVAL_MS) : undefined;
  };
  return {
    latest: () => latest,
    report(percent: number, message?: string) {
      if (closed) return;
      const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
      const text = message == null ? null : storableText(String(message), MAX_PROGRESS_MESSAGE_BYTES);
      latest = { percent: clamped, message: text };
      const wait = PROGRESS_EVENT_INTERVAL_MS - (Date.now() - lastEventAt);
      if (wait <= 0) sendEvent();
      else pendingEvent ??= setTimeout(sendEvent, wait);
      // Stored a second later at most: short runs store their last progress only when they finish.
      pendingWrite ??= setTimeout(() => void write(), PROGRESS_WRITE_INTERVAL_MS);
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

/** The handler's log: the run's log, and the server log at debug level (with the execution's id). */
function handlerLogger(execution: Execution, runLog: RunLog): HandlerLogger {
  const context = { executionId: execution.id, job: execution.jobName };
  const line = (level: "info" | "warn" | "error") => (message: string, data?: Record<string, unknown>) => {
    runLog.write(level, data && Object.keys(data).length > 0 ? `${message} ${safeJson(data)}` : message);
    logger.debug(message, { ...context, level, ...data });
  };
  return {
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
    output: (stream, text) => runLog.write(stream, text),
  };
}

function safeJson(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  } catch {
    return "[data that is not JSON]";
  }
}
