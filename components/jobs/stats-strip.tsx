// Executions at a glance, from lib/executions/stats.ts.
import type { Stats } from "@/lib/executions/stats";

export function StatsStrip({ stats }: { stats: Stats }) {
  const { last24h, successRate24h } = stats;
  const rate = successRate24h === null ? "—" : `${(successRate24h * 100).toFixed(successRate24h === 1 || successRate24h === 0 ? 0 : 1)}%`;
  const items: { label: string; value: string | number; hint?: string; testId: string }[] = [
    { label: "Running", value: stats.active, testId: "stat-active" },
    { label: "Queued", value: stats.queued, hint: "Including retries waiting for their time", testId: "stat-queued" },
    { label: "Succeeded, 24 h", value: last24h.succeeded, testId: "stat-succeeded" },
    { label: "Failed, 24 h", value: last24h.failed, testId: "stat-failed" },
    {
      label: "Success rate, 24 h",
      value: rate,
      hint: successRate24h === null ? "No finished runs in the last 24 hours" : "Succeeded out of succeeded and failed",
      testId: "stat-success-rate",
    },
  ];
  return (
    <section aria-label="Executions" className="stats">
      <dl>
        {items.map((item) => (
          <div key={item.label} className="stat" title={item.hint}>
            <dt>{item.label}</dt>
            <dd data-testid={item.testId}>{item.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
