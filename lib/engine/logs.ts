// Run logs on their way to the database: what handlers log (and commands print) is buffered per
// execution and written by one flush for the whole process every LOG_FLUSH_MS, one INSERT however
// many runs logged, never a commit per line. Each line is made storable; an execution keeps at most
// MAX_LOG_LINES lines or MAX_LOG_BYTES, then one line saying the log was truncated. Written lines
// go out as execution.log events (one flush per 200 ms: at most 5 events a second per execution).
import type { LogLevel } from "@/lib/db";
import { Prisma, queryRows } from "@/lib/db";
import { publish } from "@/lib/events/bus";
import type { LogLine } from "@/lib/events/types";
import { logger } from "@/lib/log";
import { describeThrown, storableText } from "@/lib/storable";

export const MAX_LOG_LINES = 10_000;
export const MAX_LOG_BYTES = 2 * 1024 * 1024;
/** One line at most; a longer one is cut (a command's output without newlines, say). */
export const MAX_LINE_BYTES = 16 * 1024;
const LOG_FLUSH_MS = 200;
/** Lines of one event: NOTIFY payloads are limited to 8000 bytes, so long lines are shortened in events (the API has them whole). */
const EVENT_LINE_CHARS = 500;
const EVENT_BUDGET_CHARS = 6000;

interface Pending {
  at: Date;
  level: LogLevel;
  message: string;
}

interface ExecutionLogState {
  id: string;
  jobId: string | null;
  /** Unknown until a flush commits: 1, unless an earlier attempt of this execution (requeued) wrote lines. */
  nextSeq: number | null;
  lines: number;
  bytes: number;
  truncated: boolean;
  pending: Pending[];
  closed: boolean;
}

export interface RunLog {
  write(level: LogLevel, message: string): void;
  /** Writes what is pending for this execution (best effort: lines a failed flush kept are written by a later one). */
  close(): Promise<void>;
}

interface WriterState {
  executions: Map<string, ExecutionLogState>;
  timer?: NodeJS.Timeout;
  flushing?: Promise<void>;
  failing: boolean;
}

const globalForLogs = globalThis as unknown as { tickworkRunLogs?: WriterState };

function state(): WriterState {
  globalForLogs.tickworkRunLogs ??= { executions: new Map(), failing: false };
  return globalForLogs.tickworkRunLogs;
}

export function openRunLog(execution: { id: string; jobId: string | null }): RunLog {
  const writer = state();
  const log: ExecutionLogState = { id: execution.id, jobId: execution.jobId, nextSeq: null, lines: 0, bytes: 0, truncated: false, pending: [], closed: false };
  writer.executions.set(execution.id, log);
  return {
    write(level, message) {
      if (log.closed || log.truncated) return;
      log.pending.push({ at: new Date(), level, message: storableText(String(message), MAX_LINE_BYTES) });
      // Lines past the cap are dropped here already, so a chatty run cannot fill memory while a flush waits.
      if (log.pending.length > MAX_LOG_LINES + 1) log.pending.splice(MAX_LOG_LINES + 1);
      writer.timer ??= setTimeout(() => void flushRunLogs(), LOG_FLUSH_MS);
    },
    async close() {
      log.closed = true;
      if (log.pending.length > 0) await flushRunLogs();
      if (log.pending.length === 0) writer.executions.delete(log.id);
    },
  };
}

/** Writes every pending line of every execution: one INSERT, and the events. */
export function flushRunLogs(): Promise<void> {
  const writer = state();
  clearTimeout(writer.timer);
  writer.timer = undefined;
  // A flush already under way may have missed the newest lines: run one more after it.
  writer.flushing = (writer.flushing ?? Promise.resolve()).then(() => flushOnce(writer));
  return writer.flushing;
}

async function flushOnce(writer: WriterState): Promise<void> {
  const logs = [...writer.executions.values()].filter((log) => log.pending.length > 0);
  if (logs.length === 0) return;
  try {
    // A log whose start is unknown is taken to be fresh (seq from 1): it almost always is. One that
    // ran before (requeued) is found by the same statement, left out of it, and written by the next
    // flush from what it learnt.
    const unknown = logs.filter((log) => log.nextSeq === null).map((log) => log.id);
    const rows: (Pending & { id: string; seq: number })[] = [];
    const applied: { log: ExecutionLogState; taken: number; seq: number; lines: number; bytes: number; truncated: boolean; events: LogLine[] }[] = [];
    for (const log of logs) {
      const next = { log, taken: log.pending.length, seq: log.nextSeq ?? 1, lines: log.lines, bytes: log.bytes, truncated: log.truncated, events: [] as LogLine[] };
      for (const line of log.pending) {
        if (next.truncated) break;
        const size = Buffer.byteLength(line.message);
        const over = next.lines >= MAX_LOG_LINES || next.bytes + size > MAX_LOG_BYTES;
        const written = over ? { ...line, level: "warn" as const, message: truncationNote() } : line;
        rows.push({ id: log.id, seq: next.seq, ...written });
        next.events.push({ seq: next.seq, at: written.at.toISOString(), level: written.level, message: written.message });
        next.seq += 1;
        if (over) next.truncated = true;
        else {
          next.lines += 1;
          next.bytes += size;
        }
      }
      applied.push(next);
    }
    const newlyTruncated = applied.filter((next) => next.truncated && !next.log.truncated).map((next) => next.log.id);
    // One statement, so no transaction around it: the lines and the truncation mark commit together.
    const ranBefore = await queryRows<{ execution_id: string; seq: number; lines: number; bytes: string }>(Prisma.sql`
      WITH earlier AS (
        SELECT execution_id, max(seq) AS seq, count(*)::int AS lines, COALESCE(sum(octet_length(message)), 0) AS bytes
        FROM execution_logs WHERE execution_id = ANY(${unknown}::uuid[]) GROUP BY execution_id
      ), inserted AS (
        INSERT INTO execution_logs (execution_id, seq, at, level, message)
        SELECT * FROM unnest(${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => row.seq)}::int[],
          ${rows.map((row) => row.at)}::timestamptz[], ${rows.map((row) => row.level)}::"LogLevel"[], ${rows.map((row) => row.message)}::text[])
          AS line(execution_id, seq, at, level, message)
        WHERE line.execution_id NOT IN (SELECT execution_id FROM earlier)
        ON CONFLICT DO NOTHING
      ), marked AS (
        UPDATE executions SET log_truncated = true
        WHERE id = ANY(${newlyTruncated}::uuid[]) AND id NOT IN (SELECT execution_id FROM earlier)
      )
      SELECT * FROM earlier`);
    const earlier = new Map(ranBefore.map((row) => [row.execution_id, row]));
    for (const log of logs) {
      const row = earlier.get(log.id);
      if (row) Object.assign(log, { nextSeq: row.seq + 1, lines: row.lines, bytes: Number(row.bytes) });
    }
    // Only now, with the lines committed, do they leave the buffer.
    for (const next of applied) {
      if (earlier.has(next.log.id)) continue;
      Object.assign(next.log, { nextSeq: next.seq, lines: next.lines, bytes: next.bytes, truncated: next.truncated });
      next.log.pending.splice(0, next.taken);
      if (next.log.closed && next.log.pending.length === 0) writer.executions.delete(next.log.id);
    }
    if (writer.failing) logger.info("Run logs are being written again");
    writer.failing = false;
    await publish(...applied.filter((next) => !earlier.has(next.log.id)).flatMap((next) => logEvents(next.log, next.events)));
    // The logs that ran before are written now, from where they left off.
    if (earlier.size > 0) await flushOnce(writer);
  } catch (error) {
    // The lines stay buffered and the next flush tries again; a run never fails because its log could not be written.
    if (!writer.failing) logger.warn("Could not write run logs; retrying", { error: describeThrown(error) });
    writer.failing = true;
    writer.timer ??= setTimeout(() => void flushRunLogs(), LOG_FLUSH_MS * 5);
  }
}

const truncationNote = () =>
  `Log truncated: an execution keeps at most ${MAX_LOG_LINES.toLocaleString("en")} lines or ${MAX_LOG_BYTES / 1024 / 1024} MiB; later lines were dropped`;

function logEvents(log: ExecutionLogState, lines: LogLine[]) {
  const events: { name: "execution.log"; data: { id: string; jobId: string | null; lines: LogLine[] } }[] = [];
  let batch: LogLine[] = [];
  let size = 0;
  for (const line of lines) {
    const short = line.message.length > EVENT_LINE_CHARS ? { ...line, message: `${line.message.slice(0, EVENT_LINE_CHARS)}…` } : line;
    const cost = short.message.length + 80;
    if (batch.length > 0 && size + cost > EVENT_BUDGET_CHARS) {
      events.push({ name: "execution.log", data: { id: log.id, jobId: log.jobId, lines: batch } });
      batch = [];
      size = 0;
    }
    batch.push(short);
    size += cost;
  }
  if (batch.length > 0) events.push({ name: "execution.log", data: { id: log.id, jobId: log.jobId, lines: batch } });
  return events;
}
