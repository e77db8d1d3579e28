// The Logs tab's model: pages and events merged by seq without duplicates, holes (events missed
// while reconnecting) and shortened lines found so the hook reads them, filter and search.
import { describe, expect, it } from "vitest";
import { EMPTY_LOG, EVENT_MESSAGE_CHARS, filterLines, highlightParts, readFrom, reduceRunLog, type RunLog, type RunLogEvent } from "@/components/executions/run-log";
import { LOG_LEVELS } from "@/components/ui/log-level";
import type { LogLine } from "@/lib/events/types";

const line = (seq: number, message = `line ${seq}`, level: LogLine["level"] = "info"): LogLine => ({ seq, at: new Date(Date.UTC(2026, 10, 22, 10, 0, 0, seq)).toISOString(), level, message });
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => line(from + index));
const apply = (...events: RunLogEvent[]) => events.reduce<RunLog>(reduceRunLog, EMPTY_LOG);
const seqs = (state: RunLog) => state.lines.map((held) => held.seq);

describe("run log model", () => {
  it("pages append in order and tell how far the log is known", () => {
    const state = apply({ type: "page", after: 0, items: lines(1, 3), next: 3, truncated: false }, { type: "page", after: 3, items: lines(4, 5), next: null, truncated: false });
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5]);
    expect(state).toMatchObject({ knownThrough: 5, loaded: true, truncated: false });
    expect(readFrom(state)).toBeNull();
  });

  it("an empty log is loaded, not loading", () => {
    const state = apply({ type: "page", after: 0, items: [], next: null, truncated: false });
    expect(state).toMatchObject({ loaded: true, knownThrough: 0, lines: [] });
    expect(readFrom(state)).toBeNull();
  });

  it("never holds a line twice when events and a read overlap, in any order", () => {
    const state = apply(
      { type: "event", lines: lines(3, 5) },
      { type: "page", after: 0, items: lines(1, 4), next: null, truncated: false },
      { type: "event", lines: lines(4, 6) },
      { type: "event", lines: [line(6)] },
    );
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.knownThrough).toBe(6);
    expect(readFrom(state)).toBeNull();
  });

  it("events that follow the known lines extend them; a hole (missed events) asks for a read after the last known line", () => {
    const loaded = apply({ type: "page", after: 0, items: lines(1, 10), next: null, truncated: false }, { type: "event", lines: lines(11, 12) });
    expect(loaded.knownThrough).toBe(12);
    expect(readFrom(loaded)).toBeNull();

    const missed = reduceRunLog(loaded, { type: "event", lines: lines(20, 21) });
    expect(missed.knownThrough).toBe(12);
    expect(readFrom(missed)).toBe(12);

    const filled = reduceRunLog(missed, { type: "page", after: 12, items: lines(13, 22), next: null, truncated: false });
    expect(seqs(filled)).toEqual(lines(1, 22).map((held) => held.seq));
    expect(filled.knownThrough).toBe(22);
    expect(readFrom(filled)).toBeNull();
  });

  it("a hole the server cannot fill does not ask again forever", () => {
    // seq 13 is not in the table (it can't be, but a read must still settle the question).
    const state = apply({ type: "page", after: 0, items: lines(1, 12), next: null, truncated: false }, { type: "event", lines: [line(14)] });
    expect(readFrom(state)).toBe(12);
    const read = reduceRunLog(state, { type: "page", after: 12, items: [line(14)], next: null, truncated: false });
    expect(readFrom(read)).toBeNull();
    expect(read.knownThrough).toBe(14);
  });

  it("a shortened event line is read whole; the read's line replaces it, an event never replaces a whole line", () => {
    const whole = "x".repeat(2000);
    const shortened = `${whole.slice(0, EVENT_MESSAGE_CHARS)}…`;
    const state = apply({ type: "page", after: 0, items: lines(1, 2), next: null, truncated: false }, { type: "event", lines: [line(3, shortened), line(4)] });
    expect(state.lines[2]).toMatchObject({ seq: 3, short: true });
    expect(readFrom(state)).toBe(2);

    const read = reduceRunLog(state, { type: "page", after: 2, items: [line(3, whole), line(4)], next: null, truncated: false });
    expect(read.lines[2]).toEqual(line(3, whole));
    expect(read.longest).toBe(2000);
    expect(readFrom(read)).toBeNull();

    const late = reduceRunLog(read, { type: "event", lines: [line(3, shortened)] });
    expect(late.lines[2].message).toBe(whole);
  });

  it("keeps truncated once a page says so", () => {
    const state = apply({ type: "page", after: 0, items: lines(1, 2), next: 2, truncated: true }, { type: "page", after: 2, items: [], next: null, truncated: false });
    expect(state.truncated).toBe(true);
  });

  it("merges 10,000 lines delivered as interleaved pages and events in order", () => {
    let state = EMPTY_LOG;
    for (let from = 1; from <= 10_000; from += 1000) {
      state = reduceRunLog(state, { type: "event", lines: lines(from + 500, from + 999) });
      state = reduceRunLog(state, { type: "page", after: from - 1, items: lines(from, from + 999), next: from + 999, truncated: false });
    }
    expect(state.lines).toHaveLength(10_000);
    expect(state.lines.every((held, index) => held.seq === index + 1)).toBe(true);
    expect(state.knownThrough).toBe(10_000);
  });
});

describe("filter and search", () => {
  const all = [line(1, "Starting backup"), line(2, "disk almost FULL", "warn"), line(3, "pg_dump: error: connection refused", "stderr"), line(4, "done", "stdout")];

  it("shows every line with all levels and no search, as the same array", () => {
    expect(filterLines(all, { levels: new Set(LOG_LEVELS), search: "" })).toBe(all);
  });

  it("hides unticked levels", () => {
    const shown = filterLines(all, { levels: new Set(["warn", "stderr"] as const), search: "" });
    expect(shown.map((held) => held.seq)).toEqual([2, 3]);
  });

  it("keeps lines containing the search text, in any case", () => {
    expect(filterLines(all, { levels: new Set(LOG_LEVELS), search: "  full " }).map((held) => held.seq)).toEqual([2]);
    expect(filterLines(all, { levels: new Set(["info"] as const), search: "error" })).toEqual([]);
  });

  it("highlights every match and keeps the rest of the text", () => {
    expect(highlightParts("Error: an error", "error")).toEqual([
      { text: "Error", match: true },
      { text: ": an ", match: false },
      { text: "error", match: true },
    ]);
    expect(highlightParts("plain", "")).toEqual([{ text: "plain", match: false }]);
  });
});
