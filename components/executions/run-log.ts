// The Logs tab's model: a run's lines by seq, merged from pages of GET /api/executions/:id/logs
// and from execution.log events, never twice. Reads are complete answers (every line after a seq),
// so they tell how far the log is known without a hole; an event past that point means some were
// missed (a reconnect) and the hook reads from there. Events shorten long messages; a read's whole
// line replaces a shortened one. Filtering and search are pure functions of the lines.
import type { LogLine } from "@/lib/events/types";
import { LOG_LEVELS, type LogLevel } from "@/components/ui/log-level";


/** A line as held: `short` when it came from an event that cut its message. */
export interface HeldLine extends LogLine {
  short?: boolean;
}

export interface RunLog {
  lines: HeldLine[];
  /** Every line up to this seq is held (as the server or an unbroken run of events told); reads go on after it. */
  knownThrough: number;
  /** The first line held shortened, to read whole; null when none. */
  firstShort: number | null;
  truncated: boolean;
  /** The first read has answered: an empty list means an empty log, not a loading one. */
  loaded: boolean;
  /** The longest message held, in characters (rows are one line: the list scrolls sideways this far). */
  longest: number;
}

export const EMPTY_LOG: RunLog = { lines: [], knownThrough: 0, firstShort: null, truncated: false, loaded: false, longest: 0 };

export type RunLogEvent =
  | { type: "page"; after: number; items: LogLine[]; next: number | null; truncated: boolean }
  | { type: "event"; lines: LogLine[] }
  | { type: "reset" };

/** What events cut messages to (lib/engine/logs.ts): 500 characters and an ellipsis. */
export const EVENT_MESSAGE_CHARS = 500;
const isShortened = (line: LogLine) => line.message.length === EVENT_MESSAGE_CHARS + 1 && line.message.endsWith("…");

export function reduceRunLog(state: RunLog, event: RunLogEvent): RunLog {
  switch (event.type) {
    case "reset":
      return EMPTY_LOG;
    case "event": {
      if (event.lines.length === 0) return state;
      const incoming = event.lines.map((line) => (isShortened(line) ? { ...line, short: true } : line));
      return settle({ ...state, lines: merge(state.lines, incoming, false) }, state.knownThrough);
    }
    case "page": {
      const lines = merge(state.lines, event.items, true);
      // A page is everything after `after` up to its last line (or up to now, when it is empty and the last).
      const through = event.after <= state.knownThrough ? Math.max(state.knownThrough, event.items.at(-1)?.seq ?? event.after) : state.knownThrough;
      return settle({ ...state, lines, truncated: state.truncated || event.truncated, loaded: true }, through);
    }
  }
}

/** Whether a read is owed, and after which seq: a hole before held lines, or shortened lines to read whole. */
export function readFrom(state: RunLog): number | null {
  const last = state.lines.at(-1)?.seq ?? 0;
  const hole = last > state.knownThrough ? state.knownThrough : null;
  const short = state.firstShort !== null ? state.firstShort - 1 : null;
  if (hole === null) return short;
  return short === null ? hole : Math.min(hole, short);
}

/** Lines sorted by seq without duplicates; a read's line replaces an event's (shortened) one, an event never replaces. */
function merge(held: HeldLine[], incoming: HeldLine[], whole: boolean): HeldLine[] {
  const last = held.at(-1)?.seq ?? 0;
  if (ascending(incoming) && incoming[0].seq > last) return held.concat(incoming);
  const bySeq = new Map<number, HeldLine>();
  for (const line of held) bySeq.set(line.seq, line);
  for (const line of incoming) if (whole || !bySeq.has(line.seq)) bySeq.set(line.seq, line);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function ascending(lines: HeldLine[]): boolean {
  for (let index = 1; index < lines.length; index++) if (lines[index].seq <= lines[index - 1].seq) return false;
  return lines.length > 0;
}

/** Extends knownThrough over held lines that follow it without a gap, and finds the first shortened line. */
function settle(state: RunLog, through: number): RunLog {
  let knownThrough = through;
  let start = firstIndexAfter(state.lines, knownThrough);
  while (start < state.lines.length && state.lines[start].seq === knownThrough + 1) {
    knownThrough += 1;
    start += 1;
  }
  let longest = state.longest;
  let firstShort: number | null = null;
  for (const line of state.lines) {
    if (line.message.length > longest) longest = line.message.length;
    if (firstShort === null && line.short) firstShort = line.seq;
  }
  return { ...state, knownThrough, firstShort, longest };
}

/** Index of the first line with a seq greater than `seq` (binary search: lines are sorted). */
function firstIndexAfter(lines: HeldLine[], seq: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lines[middle].seq <= seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface LogFilter {
  levels: ReadonlySet<LogLevel>;
  /** Lines containing it (any case) are shown; empty shows all. */
  search: string;
}

export function filterLines(lines: HeldLine[], filter: LogFilter): HeldLine[] {
  const needle = filter.search.trim().toLowerCase();
  if (needle === "" && filter.levels.size === LOG_LEVELS.length) return lines;
  return lines.filter((line) => filter.levels.has(line.level) && (needle === "" || line.message.toLowerCase().includes(needle)));
}

/** The message cut into plain and matching parts, for highlighting the search. */
export function highlightParts(message: string, search: string): { text: string; match: boolean }[] {
  const needle = search.trim().toLowerCase();
  if (needle === "") return [{ text: message, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = message.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push({ text: message.slice(from, at), match: false });
    parts.push({ text: message.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < message.length) parts.push({ text: message.slice(from), match: false });
  return parts;
}

export function countByLevel(lines: HeldLine[]): Record<LogLevel, number> {
  const counts: Record<LogLevel, number> = { info: 0, warn: 0, error: 0, stdout: 0, stderr: 0 };
  for (const line of lines) counts[line.level] += 1;
  return counts;
}
