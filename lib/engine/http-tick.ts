// The engine inside one HTTP request, for hosts where no process outlives a request (Vercel-style
// previews, or any external cron): GET or POST /api/cron/tick with `Authorization: Bearer
// $CRON_SECRET`. For the time budget it ticks every second, claims, runs and completes what is
// due (scheduled fires, run-now, retries) and sweeps stalled runs; then it stops like a clean
// shutdown, requeueing what has not finished (a run cut off a second time after running at least
// half a budget fails BUDGET_EXCEEDED).
// Each request is a worker of its own, so overlapping requests claim each execution once.
import crypto from "node:crypto";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { startNotifier } from "@/lib/notifications/notifier";
import { describeThrown } from "@/lib/storable";
import { engineConfig, type EngineConfig } from "./config";
import { sweepStalled } from "./sweep";
import { tick } from "./tick";
import { startWorker } from "./worker";

export interface HttpTickResult {
  /** Ticks made (one a second). */
  ticks: number;
  /** Executions the ticks queued, and fires they recorded as SKIPPED. */
  queued: number;
  skipped: number;
  /** Runs this request started, and outcomes it recorded. */
  started: number;
  finished: number;
  /** Runs still going when the budget ended, put back in the queue (or failed BUDGET_EXCEEDED the second time). */
  requeued: number;
  /** Runs of dead workers the sweep ended. */
  stalled: number;
  at: string;
}

function secretMatches(header: string | null): boolean {
  const secret = env.CRON_SECRET;
  const given = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1];
  if (!secret || !given) return false;
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Checks the cron secret, then drives the engine for the budget (TICKWORK_HTTP_TICK_SECONDS unless given). */
export async function httpTick(authorization: string | null, budgetMs = env.TICKWORK_HTTP_TICK_SECONDS * 1000): Promise<HttpTickResult> {
  if (!env.CRON_SECRET) throw new DomainError("FORBIDDEN", "Set CRON_SECRET to drive the scheduler over HTTP");
  if (!secretMatches(authorization)) throw new DomainError("UNAUTHENTICATED", "Send Authorization: Bearer <CRON_SECRET>");
  return driveEngine(engineConfig({ role: "all", workerId: `http-tick-${crypto.randomUUID().slice(0, 8)}`, budgetMs }), budgetMs);
}

/** The engine for `budgetMs`: sweep and tick each second beside a worker, then a clean stop. */
export async function driveEngine(config: EngineConfig, budgetMs: number): Promise<HttpTickResult> {
  const deadline = Date.now() + budgetMs;
  const result: HttpTickResult = { ticks: 0, queued: 0, skipped: 0, started: 0, finished: 0, requeued: 0, stalled: 0, at: "" };
  const worker = startWorker(config, {
    started: () => void (result.started += 1),
    finished: () => void (result.finished += 1),
  });
  const notifier = startNotifier();
  let nextSweep = 0;
  try {
    // At least one turn, however short the budget: a call always ticks and sweeps once. The worker
    // claims until the deadline; the tick runs on each whole second before it.
    do {
      const now = new Date();
      // Sweep first, so a run that died does not make this tick's fire look like an overlap.
      if (now.getTime() >= nextSweep) {
        result.stalled += (await sweepStalled(now, config.stallMs)).length;
        nextSweep = now.getTime() + config.sweepMs;
      }
      // Nothing is queued ahead past the budget: until the next call, no worker would start it on time.
      const lookaheadMs = Math.max(0, Math.min(config.lookaheadMs, deadline - now.getTime() - 1000));
      const ticked = await tick(now, { ...config, lookaheadMs });
      result.ticks += 1;
      result.queued += ticked.queued;
      result.skipped += ticked.skipped;
      const nextSecond = Math.ceil((Date.now() + 1) / 1000) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(nextSecond, deadline) - Date.now())));
    } while (Date.now() < deadline);
  } catch (error) {
    logger.error("HTTP tick failed; stopping its worker", { error: describeThrown(error) });
    throw error;
  } finally {
    result.requeued = (await worker.stop(0, "budget")).stopped;
    await notifier.stop(Math.max(0, deadline - Date.now()));
  }
  result.at = new Date().toISOString();
  return result;
}
