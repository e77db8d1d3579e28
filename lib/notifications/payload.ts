// What a notification says: the webhook body `{ event, at, job, execution }` (built when the event
// happens and stored in the outbox, so a late delivery tells what was true then), and the readable
// forms of it: a line, a Slack message, an email's subject, text and HTML.
import type { Execution, Job } from "@/lib/db";
import { publicUrl } from "@/lib/env";
import { storableText } from "@/lib/storable";
import type { ChannelEvent } from "./schemas";

const MAX_ERROR_BYTES = 2000;

export interface JobPart {
  id: string;
  name: string;
  type: string;
  health: "active" | "failed";
  consecutiveFailures: number;
  url: string;
}

export interface ExecutionPart {
  id: string;
  status: string;
  trigger: string;
  attempt: number;
  maxAttempts: number;
  scheduledFor: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: { code: string; message: string } | null;
  url: string;
}

export interface Payload {
  event: ChannelEvent | "test";
  at: string;
  job: JobPart | null;
  execution: ExecutionPart | null;
  /** Identical events of the last minute that were not sent on their own. */
  suppressed: number;
}

/** One event about one job (and usually one execution), before it is fanned out to channels. */
export interface Notice {
  event: ChannelEvent;
  at: Date;
  job: Pick<Job, "id" | "name" | "type"> & Partial<Pick<Job, "health" | "consecutiveFailures">>;
  execution: Execution | null;
}

export const runUrl = (executionId: string) => `${publicUrl()}/runs?execution=${executionId}`;
export const jobUrl = (jobId: string) => `${publicUrl()}/jobs/${jobId}`;

export function payloadOf(notice: Notice, suppressed = 0): Payload {
  const { job, execution } = notice;
  return {
    event: notice.event,
    at: notice.at.toISOString(),
    job: {
      id: job.id,
      name: job.name,
      type: job.type,
      health: job.health ?? "active",
      consecutiveFailures: job.consecutiveFailures ?? 0,
      url: jobUrl(job.id),
    },
    execution: execution && {
      id: execution.id,
      status: execution.status,
      trigger: execution.trigger,
      attempt: execution.attempt,
      maxAttempts: execution.maxAttempts,
      scheduledFor: execution.scheduledFor.toISOString(),
      startedAt: execution.startedAt?.toISOString() ?? null,
      finishedAt: execution.finishedAt?.toISOString() ?? null,
      durationMs: execution.durationMs,
      error: execution.errorCode ? { code: execution.errorCode, message: storableText(execution.errorMessage ?? "", MAX_ERROR_BYTES) } : null,
      url: runUrl(execution.id),
    },
    suppressed,
  };
}

/**
 * The payload in its documented key order: the outbox stores it as jsonb, which keeps no key order,
 * and receivers (and people reading a body) expect `{ event, at, job, execution, suppressed }`.
 */
export function ordered(stored: Payload): Payload {
  const { job, execution } = stored;
  return {
    event: stored.event,
    at: stored.at,
    job: job && { id: job.id, name: job.name, type: job.type, health: job.health, consecutiveFailures: job.consecutiveFailures, url: job.url },
    execution: execution && {
      id: execution.id,
      status: execution.status,
      trigger: execution.trigger,
      attempt: execution.attempt,
      maxAttempts: execution.maxAttempts,
      scheduledFor: execution.scheduledFor,
      startedAt: execution.startedAt,
      finishedAt: execution.finishedAt,
      durationMs: execution.durationMs,
      error: execution.error && { code: execution.error.code, message: execution.error.message },
      url: execution.url,
    },
    suppressed: stored.suppressed ?? 0,
  };
}

export const testPayload = (): Payload => ({ event: "test", at: new Date().toISOString(), job: null, execution: null, suppressed: 0 });

const HEADLINES: Record<Payload["event"], string> = {
  failed: "failed",
  recovered: "recovered",
  paused: "was paused after repeated failures",
  skipped: "skipped a fire",
  late: "is late",
  test: "",
};

/** "Nightly backup failed (TIMEOUT: …)", or the test's line. */
export function headline(payload: Payload): string {
  if (payload.event === "test" || !payload.job) return "Test notification from Tickwork";
  const error = payload.execution?.error;
  const why = error && payload.event !== "recovered" ? ` (${error.code}: ${firstLine(error.message)})` : "";
  const late = payload.event === "late" && payload.execution ? ` (due ${payload.execution.scheduledFor}, not started)` : "";
  return `${payload.job.name} ${HEADLINES[payload.event]}${why}${late}`;
}

export function detailLines(payload: Payload): string[] {
  const lines: string[] = [];
  if (payload.event === "test") lines.push("This channel works: Tickwork can reach it.");
  const { execution, job } = payload;
  if (job) lines.push(`Job: ${job.name} (${job.type})`);
  if (execution) {
    lines.push(`Status: ${execution.status}, attempt ${execution.attempt} of ${execution.maxAttempts}, trigger ${execution.trigger}`);
    lines.push(`Scheduled for: ${execution.scheduledFor}`);
    if (execution.error) lines.push(`Error: ${execution.error.code}: ${execution.error.message}`);
  }
  if (payload.suppressed > 0) lines.push(`${payload.suppressed} more identical event(s) in the last minute were not sent on their own.`);
  return lines;
}

export const linkOf = (payload: Payload) => payload.execution?.url ?? payload.job?.url ?? publicUrl();

const firstLine = (text: string) => {
  const line = text.split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

/** A Slack incoming-webhook message (also understood by Mattermost and Rocket.Chat). */
export function slackMessage(payload: Payload): { text: string } {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const icon = { failed: ":x:", recovered: ":white_check_mark:", paused: ":double_vertical_bar:", skipped: ":fast_forward:", late: ":hourglass:", test: ":wave:" }[payload.event];
  const details = detailLines(payload).map(escape).join("\n");
  const link = payload.execution ? `<${linkOf(payload)}|Open the run>` : `<${linkOf(payload)}|Open Tickwork>`;
  return { text: `${icon} *${escape(headline(payload))}*\n${details}\n${link}` };
}

export function emailMessage(payload: Payload): { subject: string; text: string; html: string } {
  const subject = `[Tickwork] ${headline(payload)}`.slice(0, 250);
  const link = linkOf(payload);
  const lines = detailLines(payload);
  const text = [headline(payload), "", ...lines, "", `${payload.execution ? "Open the run" : "Open Tickwork"}: ${link}`].join("\n");
  const escape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const html = [
    `<p><strong>${escape(headline(payload))}</strong></p>`,
    `<ul>${lines.map((line) => `<li>${escape(line)}</li>`).join("")}</ul>`,
    `<p><a href="${escape(link)}">${payload.execution ? "Open the run" : "Open Tickwork"}</a></p>`,
  ].join("\n");
  return { subject, text, html };
}
