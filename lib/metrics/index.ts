// Prometheus metrics (prom-client), all named tickwork_*. Counters and histograms are this
// process's: the engine feeds them with one call at each place (a claim, a completion batch, a tick,
// a delivery attempt). Gauges of the queue and the outbox are read from the database at scrape
// time, so they are the same on every instance (global). One registry per process, kept on
// globalThis: instrumentation and the route bundles load this module separately.
import client from "prom-client";
import type { Execution } from "@/lib/db";

interface Metrics {
  registry: client.Registry;
  finished: client.Counter<"type" | "status" | "trigger">;
  fireLag: client.Histogram;
  tickDuration: client.Histogram;
  completionBatch: client.Histogram;
  deliveries: client.Counter<"kind" | "outcome">;
  queued: client.Gauge;
  running: client.Gauge;
  outbox: client.Gauge<"status">;
  sseClients: client.Gauge;
}

const globalForMetrics = globalThis as unknown as { tickworkMetrics?: Metrics };

function create(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "tickwork_" });
  const registers = [registry];
  return {
    registry,
    finished: new client.Counter({
      name: "tickwork_executions_finished_total",
      help: "Executions this instance finished (completions, stalled sweeps) or recorded SKIPPED (ticks), by handler type, final status and trigger",
      labelNames: ["type", "status", "trigger"],
      registers,
    }),
    fireLag: new client.Histogram({
      name: "tickwork_fire_lag_seconds",
      help: "How late executions this instance claimed started: startedAt - scheduledFor (every trigger; retries are due after their backoff)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    tickDuration: new client.Histogram({
      name: "tickwork_tick_duration_seconds",
      help: "How long this instance's scheduler ticks took",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    completionBatch: new client.Histogram({
      name: "tickwork_completion_batch_size",
      help: "Outcomes written per completion transaction by this instance's worker",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers,
    }),
    deliveries: new client.Counter({
      name: "tickwork_notification_deliveries_total",
      help: "Notification delivery attempts this instance made, by channel kind and outcome (delivered, retrying, failed)",
      labelNames: ["kind", "outcome"],
      registers,
    }),
    queued: new client.Gauge({ name: "tickwork_executions_queued", help: "QUEUED executions in the database (global: the same on every instance)", registers }),
    running: new client.Gauge({ name: "tickwork_executions_running", help: "RUNNING executions in the database (global: the same on every instance)", registers }),
    outbox: new client.Gauge({
      name: "tickwork_notification_deliveries",
      help: "Notification deliveries in the outbox by status, pending or failed (global: the same on every instance)",
      labelNames: ["status"],
      registers,
    }),
    sseClients: new client.Gauge({ name: "tickwork_sse_clients", help: "Event streams (GET /api/events) open on this instance", registers }),
  };
}

export function metrics(): Metrics {
  globalForMetrics.tickworkMetrics ??= create();
  return globalForMetrics.tickworkMetrics;
}

type Finished = Pick<Execution, "type" | "status" | "trigger">;

export function countFinished(executions: Finished[]): void {
  const { finished } = metrics();
  for (const execution of executions) finished.inc({ type: execution.type, status: execution.status, trigger: execution.trigger });
}

/** A completion batch of `size` requests and the executions it finished. */
export function observeCompletions(size: number, completions: { execution: Finished }[]): void {
  metrics().completionBatch.observe(size);
  countFinished(completions.map((completion) => completion.execution));
}

export function observeFireLag(claimed: Pick<Execution, "scheduledFor" | "startedAt">[]): void {
  const { fireLag } = metrics();
  for (const execution of claimed) {
    if (execution.startedAt) fireLag.observe(Math.max(0, execution.startedAt.getTime() - execution.scheduledFor.getTime()) / 1000);
  }
}

/** Starts timing a tick; call the result when it ends. */
export const startTickTimer = (): (() => void) => metrics().tickDuration.startTimer();

export function countDelivery(kind: string, outcome: "delivered" | "retrying" | "failed"): void {
  metrics().deliveries.inc({ kind, outcome });
}
