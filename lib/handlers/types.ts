import type { z } from "zod";

/** Lines go to the run's log (GET /api/executions/:id/logs, live as execution.log events). */
export interface HandlerLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
  /** A line a child process printed. */
  output(stream: "stdout" | "stderr", line: string): void;
}

export interface HandlerContext<P> {
  params: P;
  /** Aborted on cancel, timeout or shutdown; a handler should stop soon after. */
  signal: AbortSignal;
  /** Reports progress (0..100) with an optional message; throttled by the worker. */
  progress(percent: number, message?: string): void;
  log: HandlerLogger;
  /** After the signal aborts, how long the handler may take to stop (then a process is killed). */
  stopGraceMs: number;
  attempt: number;
  execution: { id: string; jobId: string | null; jobName: string; scheduledFor: Date };
}

export interface JobHandler<S extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  /** Example params, each with a title, shown in the console and in /api/definitions. */
  examples: { title: string; params: z.input<S> }[];
  defaultParams: z.input<S>;
  params: S;
  /** System handlers run system-managed jobs only; they are not offered for new jobs. */
  system?: boolean;
  /**
   * The handler returns soon after its signal aborts, whatever it runs (it kills its process
   * group itself), so the run must end only when it returns: it is never abandoned after the grace period.
   */
  stopsItself?: boolean;
  /**
   * Rules that depend on configuration (the outbound HTTP policy), checked whenever params are
   * accepted (create, update, run, enqueue): each problem is a 400 on `params.<path>`. The worker
   * does not call it; the handler enforces the same rule itself when it runs.
   */
  check?(params: z.output<S>): { path: string[]; message: string }[];
  run(ctx: HandlerContext<z.output<S>>): Promise<unknown>;
}

