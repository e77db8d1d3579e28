// GET /api/metrics: who may scrape (a viewer, or the METRICS_TOKEN bearer), the text format parsed
// by a Prometheus text parser, every name prefixed tickwork_, and the figures moving after runs:
// finished executions by type/status/trigger, fire lag, completion batches, ticks, the queue gauges
// read from the database, and notification deliveries.
import fs from "node:fs";
import path from "node:path";
import parsePrometheusTextFormat, { type Family } from "parse-prometheus-text-format";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { tick } from "@/lib/engine/tick";
import { workOnce } from "@/lib/engine/worker";
import { deliverDue } from "@/lib/notifications/deliver";
import { api } from "../support/api";
import { createIdentities, expectError, resetDatabase, settleActiveExecutions, type Identities } from "../support/fixtures";
import { useLocalServer } from "../support/http-server";
import { manualJob, NO_LOOKAHEAD, runNow, testEngineConfig } from "./engine/support";
import { disableChannels, postChannel, testNotifierConfig } from "./notifications/support";

let who: Identities;
const receiver = useLocalServer((_request, response) => response.end("ok"));
const METRICS_TOKEN = "metrics-token-for-the-test-0123456789";

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  env.METRICS_TOKEN = undefined;
  await disableChannels();
  await settleActiveExecutions();
});

async function scrape(token = who.viewer): Promise<Family[]> {
  const response = await api("GET", "/api/metrics", { token });
  expect(response.status, String(response.body)).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(response.body);
}

const family = (families: Family[], name: string) => {
  const found = families.find((entry) => entry.name === name);
  if (!found) throw new Error(`No metric ${name} in ${families.map((entry) => entry.name).join(", ")}`);
  return found;
};

/** The value of a counter or gauge sample whose labels include `labels` (0 when there is none yet). */
function value(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const sample = family(families, name).metrics.find((metric) => Object.entries(labels).every(([key, wanted]) => metric.labels?.[key] === wanted));
  return Number(sample?.value ?? 0);
}

/** A histogram's observation count (Tickwork's histograms have no labels besides `le`). */
const histogramCount = (families: Family[], name: string) => Number(family(families, name).metrics[0]?.count ?? 0);

describe("GET /api/metrics", () => {
  it("answers a viewer and the METRICS_TOKEN bearer, nobody else", async () => {
    expectError(await api("GET", "/api/metrics"), 401, "UNAUTHENTICATED");
    expectError(await api("GET", "/api/metrics", { token: METRICS_TOKEN }), 401, "UNAUTHENTICATED");
    env.METRICS_TOKEN = METRICS_TOKEN;
    expect((await api("GET", "/api/metrics", { token: METRICS_TOKEN })).status).toBe(200);
    expect((await api("GET", "/api/metrics", { token: who.viewer })).status).toBe(200);
    // The metrics token reads nothing else.
    expectError(await api("GET", "/api/jobs", { token: METRICS_TOKEN }), 401, "UNAUTHENTICATED");
    expectError(await api("GET", "/api/metrics", { token: `${METRICS_TOKEN}x` }), 401, "UNAUTHENTICATED");
  });

  it("is the Prometheus text format with every name prefixed tickwork_ and the documented metrics present", async () => {
    const families = await scrape();
    expect(families.length).toBeGreaterThan(10);
    expect(families.every((entry) => entry.name.startsWith("tickwork_"))).toBe(true);
    for (const name of [
      "tickwork_executions_finished_total",
      "tickwork_fire_lag_seconds",
      "tickwork_executions_queued",
      "tickwork_executions_running",
      "tickwork_tick_duration_seconds",
      "tickwork_completion_batch_size",
      "tickwork_nodejs_eventloop_lag_p99_seconds",
      "tickwork_sse_clients",
      "tickwork_notification_deliveries_total",
      "tickwork_notification_deliveries",
    ]) {
      expect(family(families, name).help.length, name).toBeGreaterThan(0);
    }
    expect(family(families, "tickwork_fire_lag_seconds").type).toBe("HISTOGRAM");
    expect(family(families, "tickwork_executions_queued").type).toBe("GAUGE");
  });

  it("docs/grafana-dashboard.json charts only metrics that exist", async () => {
    const dashboard = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/grafana-dashboard.json"), "utf8");
    const used = new Set([...dashboard.matchAll(/tickwork_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, "")));
    const exposed = new Set((await scrape()).map((entry) => entry.name));
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it("moves after runs, ticks and deliveries", async () => {
    const { base } = await receiver;
    await postChannel(who.admin, { target: `${base}/metrics`, events: ["failed"] });
    const ok = await manualJob(who.operator, { params: { durationMs: 0, steps: 1 } });
    const failing = await manualJob(who.operator, { params: { durationMs: 0, steps: 1, fail: true } });
    const before = await scrape();

    for (let i = 0; i < 3; i++) await runNow(who.operator, ok.id);
    await runNow(who.operator, failing.id);
    const queued = await scrape();
    expect(value(queued, "tickwork_executions_queued") - value(before, "tickwork_executions_queued")).toBe(4);

    await workOnce(testEngineConfig({ concurrency: 10 }));
    await tick(new Date(), NO_LOOKAHEAD);
    await deliverDue(testNotifierConfig());
    const after = await scrape();

    const finished = (families: Family[], status: string) =>
      value(families, "tickwork_executions_finished_total", { type: "demo.sleep", status, trigger: "manual" });
    expect(finished(after, "SUCCEEDED") - finished(before, "SUCCEEDED")).toBe(3);
    expect(finished(after, "FAILED") - finished(before, "FAILED")).toBe(1);
    expect(histogramCount(after, "tickwork_fire_lag_seconds") - histogramCount(before, "tickwork_fire_lag_seconds")).toBe(4);
    expect(histogramCount(after, "tickwork_completion_batch_size")).toBeGreaterThan(histogramCount(before, "tickwork_completion_batch_size"));
    expect(histogramCount(after, "tickwork_tick_duration_seconds")).toBeGreaterThan(histogramCount(before, "tickwork_tick_duration_seconds"));
    expect(value(after, "tickwork_executions_queued")).toBe(value(before, "tickwork_executions_queued"));
    expect(value(after, "tickwork_executions_running")).toBe(0);
    const delivered = (families: Family[]) => value(families, "tickwork_notification_deliveries_total", { kind: "webhook", outcome: "delivered" });
    expect(delivered(after) - delivered(before)).toBe(1);
  });
});
