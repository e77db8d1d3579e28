// The recent runs at a glance: an inline SVG of durations, oldest to newest, with a mark per
// outcome. The aria-label says the same in words.
import type { ExecutionDto } from "@/lib/executions/schemas";
import { formatDuration } from "@/components/ui/time-format";

const WIDTH = 240;
const HEIGHT = 40;
const PAD = 4;

export function RunSparkline({ executions }: { executions: ExecutionDto[] }) {
  const runs = executions.filter((run) => run.finishedAt).reverse();
  if (runs.length === 0) return null;
  const succeeded = runs.filter((run) => run.status === "SUCCEEDED").length;
  const failed = runs.filter((run) => run.status === "FAILED").length;
  const durations = runs.map((run) => run.durationMs ?? 0);
  const max = Math.max(1, ...durations);
  const step = runs.length > 1 ? (WIDTH - 2 * PAD) / (runs.length - 1) : 0;
  const points = durations.map((ms, index) => [PAD + index * step, HEIGHT - PAD - (ms / max) * (HEIGHT - 2 * PAD)] as const);
  const average = Math.round(durations.reduce((sum, ms) => sum + ms, 0) / runs.length);
  const label = `Last ${runs.length} finished runs: ${succeeded} succeeded, ${failed} failed, ${runs.length - succeeded - failed} other; average duration ${formatDuration(average)}, longest ${formatDuration(max)}.`;
  return (
    <section aria-labelledby="recent-title" className="detail-section">
      <h2 id="recent-title">Recent runs</h2>
      <svg role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} className="sparkline" data-testid="run-sparkline">
        <polyline points={points.map(([x, y]) => `${x},${y}`).join(" ")} fill="none" stroke="currentColor" strokeWidth="1.5" />
        {points.map(([x, y], index) =>
          runs[index].status === "SUCCEEDED" ? (
            <circle key={runs[index].id} cx={x} cy={y} r="3" className="mark-ok" />
          ) : (
            <path key={runs[index].id} d={`M${x - 3},${y - 3}L${x + 3},${y + 3}M${x + 3},${y - 3}L${x - 3},${y + 3}`} className="mark-fail" strokeWidth="2" />
          ),
        )}
      </svg>
      <p className="muted small" aria-hidden="true">{label}</p>
    </section>
  );
}
