"use client";
// Execution figures with their age ("Updated 12 s ago") and a manual refresh. They also refresh
// by themselves when runs are queued or finish (components/runs/runs-stream.tsx).
import { useEffect, useRef, useTransition } from "react";
import { useRouter } from "next/navigation";
import { StatsStrip } from "@/components/jobs/stats-strip";
import { Button } from "@/components/ui/button";
import { useAnnounce } from "@/components/ui/live-region";
import type { Stats } from "@/lib/executions/stats";
import { formatDuration } from "@/components/ui/time-format";
import { useSecondClock } from "@/components/ui/clock";
import { useStalledCleanup } from "./stalled-cleanup";

export function StatsPanel({ stats, canCleanUp }: { stats: Stats; canCleanUp: boolean }) {
  const router = useRouter();
  const announce = useAnnounce();
  const [refreshing, startRefresh] = useTransition();
  const asked = useRef(false);
  const generatedAt = Date.parse(stats.generatedAt);
  const age = Math.max(0, useSecondClock(generatedAt) - generatedAt);
  const cleanup = useStalledCleanup();

  useEffect(() => {
    if (!asked.current) return;
    asked.current = false;
    announce("Figures updated");
  }, [stats.generatedAt, announce]);

  return (
    <section aria-labelledby="overview-title" className="runs-overview">
      <div className="section-header">
        <h2 id="overview-title">Overview</h2>
        <p className="muted small" data-testid="stats-updated">
          Updated {formatDuration(age < 1000 ? 0 : age, { coarse: true })} ago
        </p>
        <div className="section-actions">
          <Button
            variant="secondary"
            size="small"
            busy={refreshing}
            onClick={() => {
              asked.current = true;
              startRefresh(() => router.refresh());
            }}
          >
            {refreshing ? "Refreshing…" : "Refresh"}
          </Button>
          {canCleanUp ? cleanup.button : null}
        </div>
      </div>
      {cleanup.report}
      {cleanup.dialog}
      <StatsStrip stats={stats} />
      <p className="muted small runs-stats-more" data-testid="stats-more">
        Last 24 h: {stats.last24h.total} finished, {stats.last24h.cancelled} cancelled
        {stats.p50DurationMs !== null ? ` · median run ${formatDuration(stats.p50DurationMs, { coarse: true })}` : ""}
        {stats.p95DurationMs !== null ? `, 95th percentile ${formatDuration(stats.p95DurationMs, { coarse: true })}` : ""}
      </p>
    </section>
  );
}
