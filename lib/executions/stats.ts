import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";

export const StatsSchema = z.object({
  active: z.number().int().describe("RUNNING executions"),
  queued: z.number().int().describe("QUEUED executions, including retries waiting for their time"),
  last24h: z.object({ succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int(), total: z.number().int() }),
  successRate24h: z.number().nullable().describe("succeeded / (succeeded + failed) over finished runs of the last 24 h; null when none"),
  p50DurationMs: z.number().int().nullable(),
  p95DurationMs: z.number().int().nullable(),
  generatedAt: z.string(),
});
export type Stats = z.infer<typeof StatsSchema>;

export async function stats({ actor }: { actor: Actor | null }): Promise<Stats> {
  requireRole(actor, "viewer");
  const db = await getPrisma();
  const now = new Date();
  const since = new Date(now.getTime() - 86_400_000);
  const [byStatus, [durations]] = await Promise.all([
    db.$queryRaw<{ status: string; count: bigint }[]>`
      SELECT status::text AS status, count(*) AS count FROM executions WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status
      UNION ALL
      SELECT 'done:' || status, count(*) FROM executions WHERE finished_at >= ${since} GROUP BY status`,
    db.$queryRaw<{ p50: number | null; p95: number | null }[]>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
      FROM executions WHERE finished_at >= ${since} AND duration_ms IS NOT NULL`,
  ]);
  const count = (key: string) => Number(byStatus.find((row) => row.status === key)?.count ?? 0);
  const succeeded = count("done:SUCCEEDED");
  const failed = count("done:FAILED");
  const cancelled = count("done:CANCELLED");
  const total = byStatus.filter((row) => row.status.startsWith("done:")).reduce((sum, row) => sum + Number(row.count), 0);
  return {
    active: count("RUNNING"),
    queued: count("QUEUED"),
    last24h: { succeeded, failed, cancelled, total },
    successRate24h: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
    p50DurationMs: durations?.p50 === null || durations?.p50 === undefined ? null : Math.round(Number(durations.p50)),
    p95DurationMs: durations?.p95 === null || durations?.p95 === undefined ? null : Math.round(Number(durations.p95)),
    generatedAt: now.toISOString(),
  };
}
