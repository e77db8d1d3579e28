// How a job's state reads in the table: words first, an icon and colour only as extras.
import { Badge, type Tone } from "@/components/ui/badge";
import type { JobDto } from "@/lib/jobs/schemas";

type Status = NonNullable<JobDto["lastStatus"]>;

const STATUS_LOOK: Record<Status, { label: string; icon: string; tone: Tone }> = {
  SUCCEEDED: { label: "Succeeded", icon: "✓", tone: "ok" },
  FAILED: { label: "Failed", icon: "✕", tone: "danger" },
  RUNNING: { label: "Running", icon: "▶", tone: "info" },
  QUEUED: { label: "Queued", icon: "…", tone: "info" },
  CANCELLED: { label: "Cancelled", icon: "⊘", tone: "muted" },
  SKIPPED: { label: "Skipped", icon: "↷", tone: "muted" },
};

export function LastStatusBadge({ status }: { status: JobDto["lastStatus"] }) {
  if (!status) return <span className="muted">Never run</span>;
  const look = STATUS_LOOK[status];
  return (
    <Badge tone={look.tone} icon={look.icon}>
      {look.label}
    </Badge>
  );
}

export function HealthBadge({ job }: { job: Pick<JobDto, "health" | "consecutiveFailures" | "pauseAfterFailures"> }) {
  if (job.health === "failed") {
    return (
      <Badge tone="danger" icon="⚠" title={`Paused after ${job.consecutiveFailures} consecutive failures; reset it to schedule it again`}>
        Failed
      </Badge>
    );
  }
  const streak = job.consecutiveFailures > 0 ? `${job.consecutiveFailures} failure${job.consecutiveFailures === 1 ? "" : "s"} in a row` : undefined;
  return (
    <Badge tone={streak ? "warn" : "ok"} icon={streak ? "!" : "✓"} title={streak}>
      Active
    </Badge>
  );
}

/** Read-only enabled state. No icon inside, so the cell's text is exactly "Enabled" or "Disabled". */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return <Badge tone={enabled ? "ok" : "muted"}>{enabled ? "Enabled" : "Disabled"}</Badge>;
}
