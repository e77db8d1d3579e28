// An execution's life as a list of moments: queued, due, started (after how long in the queue),
// finished (after how long) or still running (for how long), and the last heartbeat.
import { formatDuration } from "@/components/ui/time-format";
import type { ExecutionDto } from "@/lib/executions/schemas";

type TimelineInput = Pick<ExecutionDto, "status" | "queuedAt" | "scheduledFor" | "startedAt" | "finishedAt" | "lastHeartbeatAt" | "durationMs" | "queueDelayMs">;

export interface TimelineEntry {
  key: "queued" | "scheduled" | "started" | "finished" | "heartbeat";
  label: string;
  /** ISO time, or null for a moment that has not happened (yet). */
  at: string | null;
  note?: string;
}

const between = (from: string, to: string | number) => Math.max(0, new Date(to).getTime() - new Date(from).getTime());


export function executionTimeline(execution: TimelineInput, now: number): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ key: "queued", label: "Queued", at: execution.queuedAt }];
  const dueLater = between(execution.queuedAt, execution.scheduledFor);
  entries.push({ key: "scheduled", label: "Due", at: execution.scheduledFor, ...(dueLater >= 1000 ? { note: `${formatDuration(dueLater)} after it was queued` } : {}) });
  entries.push(startedEntry(execution, now));
  entries.push(finishedEntry(execution, now));
  if (execution.lastHeartbeatAt && execution.status === "RUNNING") {
    entries.push({ key: "heartbeat", label: "Last heartbeat", at: execution.lastHeartbeatAt, note: `${formatDuration(between(execution.lastHeartbeatAt, now))} ago` });
  }
  return entries;
}

function startedEntry(execution: TimelineInput, now: number): TimelineEntry {
  if (!execution.startedAt) {
    return { key: "started", label: "Started", at: null, note: execution.status === "QUEUED" ? waitingNote(execution.scheduledFor, now) : "never started" };
  }
  const delay = execution.queueDelayMs ?? between(execution.scheduledFor, execution.startedAt);
  return { key: "started", label: "Started", at: execution.startedAt, note: `${formatDuration(delay)} after it was due` };
}

function waitingNote(scheduledFor: string, now: number): string {
  const due = new Date(scheduledFor).getTime();
  return due > now ? `due in ${formatDuration(due - now)}` : `waiting for ${formatDuration(now - due)}`;
}

function finishedEntry(execution: TimelineInput, now: number): TimelineEntry {
  if (execution.finishedAt) {
    const duration = execution.durationMs ?? (execution.startedAt ? between(execution.startedAt, execution.finishedAt) : null);
    return { key: "finished", label: "Finished", at: execution.finishedAt, ...(duration !== null ? { note: `took ${formatDuration(duration)}` } : {}) };
  }
  if (execution.status === "RUNNING" && execution.startedAt) {
    return { key: "finished", label: "Finished", at: null, note: `running for ${formatDuration(between(execution.startedAt, now))}` };
  }
  return { key: "finished", label: "Finished", at: null, note: "not yet" };
}
