// GET /api/metrics: reads the global gauges from the database (two small counts on indexed
// columns), then renders every metric in the Prometheus text format. Allowed for a viewer (token or
// session) or with `Authorization: Bearer $METRICS_TOKEN`, a token that reads nothing else.
import crypto from "node:crypto";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { subscriberCount } from "@/lib/events/hub";
import { metrics } from "./index";

export function isMetricsToken(authorization: string | null): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1];
  if (!env.METRICS_TOKEN || !given) return false;
  const digest = (text: string) => crypto.createHash("sha256").update(text).digest();
  return crypto.timingSafeEqual(digest(given), digest(env.METRICS_TOKEN));
}

export async function scrapeMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const db = await getPrisma();
  const [executions, deliveries] = await Promise.all([
    db.$queryRaw<{ status: string; count: number }[]>`
      SELECT status::text AS status, count(*)::int AS count FROM executions WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status`,
    db.$queryRaw<{ status: string; count: number }[]>`
      SELECT status::text AS status, count(*)::int AS count FROM notification_deliveries WHERE status IN ('pending', 'failed') GROUP BY status`,
  ]);
  const count = (rows: { status: string; count: number }[], status: string) => rows.find((row) => row.status === status)?.count ?? 0;
  m.queued.set(count(executions, "QUEUED"));
  m.running.set(count(executions, "RUNNING"));
  for (const status of ["pending", "failed"]) m.outbox.set({ status }, count(deliveries, status));
  m.sseClients.set(subscriberCount());
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
