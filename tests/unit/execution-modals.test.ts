// The pure parts of the execution details and run job modals: JSON shown and cut short, JSON
// syntax errors told by line and column, the timeline's arithmetic, and the modal's links.
import { describe, expect, it } from "vitest";
import { describeJsonError, formatBytes, lineAndColumn, parseJson, truncateText } from "@/components/ui/json-text";
import { formatDuration } from "@/components/ui/time-format";
import { executionHref } from "@/components/executions/execution-href";
import { executionTimeline } from "@/components/executions/timeline";
import { parseParamsText } from "@/components/jobs/form-model";

describe("truncateText", () => {
  it("leaves small text alone", () => {
    expect(truncateText('{\n  "a": 1\n}')).toEqual({ text: '{\n  "a": 1\n}', truncated: false, hiddenLines: 0 });
  });

  it("keeps at most maxLines lines and counts the rest", () => {
    const text = Array.from({ length: 250 }, (_, index) => `line ${index}`).join("\n");
    const cut = truncateText(text, { maxLines: 200, maxChars: 100_000 });
    expect(cut.truncated).toBe(true);
    expect(cut.text.split("\n")).toHaveLength(200);
    expect(cut.hiddenLines).toBe(50);
  });

  it("cuts at a line end near maxChars", () => {
    const text = Array.from({ length: 100 }, () => "x".repeat(99)).join("\n");
    const cut = truncateText(text, { maxChars: 1000 });
    expect(cut.text.length).toBeLessThanOrEqual(1000);
    expect(cut.text.endsWith("x")).toBe(true);
    expect(cut.text.split("\n").every((line) => line.length === 99)).toBe(true);
    expect(cut.hiddenLines).toBe(100 - cut.text.split("\n").length);
  });

  it("cuts one huge line in the middle", () => {
    const cut = truncateText(`"${"y".repeat(20_000)}"`, { maxChars: 4096 });
    expect(cut).toMatchObject({ truncated: true, hiddenLines: 0 });
    expect(cut.text).toHaveLength(4096);
  });
});

describe("JSON syntax errors", () => {
  it("computes 1-based line and column of an offset", () => {
    expect(lineAndColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("ab", 99)).toEqual({ line: 1, column: 3 });
  });

  it("reads V8's position", () => {
    const text = '{\n  "a": 1,\n  b: 2\n}';
    expect(describeJsonError(text, "Expected double-quoted property name in JSON at position 14")).toEqual({
      message: "Line 3, column 3: Expected double-quoted property name",
      line: 3,
      column: 3,
    });
  });

  it("prefers the engine's own line and column (newer V8, Firefox)", () => {
    expect(describeJsonError("", "Expected ',' or '}' after property value in JSON at position 7 (line 2 column 4)")).toMatchObject({ line: 2, column: 4, message: "Line 2, column 4: Expected ',' or '}' after property value" });
    expect(describeJsonError("", "JSON.parse: expected property name or '}' at line 1 column 3 of the JSON data")).toMatchObject({ line: 1, column: 3, message: "Line 1, column 3: expected property name or '}'" });
  });

  it("places an unexpected end at the end, and keeps a message without a place", () => {
    expect(describeJsonError('{"a":\n1', "Unexpected end of JSON input")).toMatchObject({ line: 2, column: 2 });
    expect(describeJsonError("{", "JSON Parse error: Expected '}'")).toEqual({ message: "JSON Parse error: Expected '}'" });
  });

  it("parses good JSON and reports bad JSON from this engine with a place", () => {
    expect(parseJson('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    const bad = parseJson('{\n  "durationMs": 10,\n  oops\n}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ line: 3, column: 3 });
  });

  it("reaches the params field's message", () => {
    expect(parseParamsText('{"a": 1,}')).toEqual({ error: expect.stringMatching(/^Not valid JSON: Line 1, column 9: /) });
    expect(parseParamsText("[1]")).toEqual({ error: expect.stringContaining("must be a JSON object") });
    expect(parseParamsText("  ")).toEqual({ value: {} });
  });

  it("sizes text as UTF-8", () => {
    expect(formatBytes("abc")).toBe("3 B");
    expect(formatBytes("é".repeat(1024))).toBe("2.0 KB");
    expect(formatBytes("x".repeat(3 * 1024 * 1024))).toBe("3.0 MB");
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [12_400, "12.4 s"],
    [59_990, "1 min 0 s"],
    [185_000, "3 min 5 s"],
    [3_599_600, "1 h 0 min"],
    [7_440_000, "2 h 4 min"],
  ])("%i ms is %s", (ms, words) => expect(formatDuration(ms)).toBe(words));

  it.each([
    [0, "0 s"],
    [450, "450 ms"],
    [12_400, "12 s"],
    [185_000, "3 min"],
    [7_530_000, "2 h 5 min"],
  ])("coarse: %i ms is %s", (ms, words) => expect(formatDuration(ms, { coarse: true })).toBe(words));
});

describe("executionTimeline", () => {
  const base = {
    status: "SUCCEEDED" as const,
    queuedAt: "2026-11-22T10:00:00.000Z",
    scheduledFor: "2026-11-22T10:00:00.000Z",
    startedAt: "2026-11-22T10:00:00.250Z",
    finishedAt: "2026-11-22T10:00:12.650Z",
    lastHeartbeatAt: "2026-11-22T10:00:10.000Z",
    durationMs: 12_400,
    queueDelayMs: 250,
  };
  const now = Date.parse("2026-11-22T10:01:00.000Z");
  const notes = (entries: ReturnType<typeof executionTimeline>) => Object.fromEntries(entries.map((entry) => [entry.key, entry.note]));

  it("says how long it waited and how long it took", () => {
    const entries = executionTimeline(base, now);
    expect(entries.map((entry) => entry.key)).toEqual(["queued", "scheduled", "started", "finished"]);
    expect(notes(entries)).toEqual({ queued: undefined, scheduled: undefined, started: "250 ms after it was due", finished: "took 12.4 s" });
  });

  it("counts a running execution's time and shows its heartbeat", () => {
    const entries = executionTimeline({ ...base, status: "RUNNING", finishedAt: null, durationMs: null }, now);
    expect(notes(entries)).toMatchObject({ finished: "running for 59.8 s", heartbeat: "50.0 s ago" });
    expect(entries.find((entry) => entry.key === "finished")?.at).toBeNull();
  });

  it("tells a queued run's wait, or when a retry is due", () => {
    const queued = { ...base, status: "QUEUED" as const, startedAt: null, finishedAt: null, durationMs: null, queueDelayMs: null, lastHeartbeatAt: null };
    expect(notes(executionTimeline(queued, now))).toMatchObject({ started: "waiting for 1 min 0 s", finished: "not yet" });
    const retry = { ...queued, scheduledFor: "2026-11-22T10:02:00.000Z" };
    expect(notes(executionTimeline(retry, now))).toMatchObject({ scheduled: "2 min 0 s after it was queued", started: "due in 1 min 0 s" });
  });

  it("works out the numbers the record lacks from its times", () => {
    const entries = executionTimeline({ ...base, durationMs: null, queueDelayMs: null }, now);
    expect(notes(entries)).toMatchObject({ started: "250 ms after it was due", finished: "took 12.4 s" });
    expect(notes(executionTimeline({ ...base, status: "CANCELLED", startedAt: null, durationMs: null, queueDelayMs: null }, now))).toMatchObject({ started: "never started" });
  });
});

describe("executionHref", () => {
  it("adds the execution and keeps the other params", () => {
    expect(executionHref("/jobs/1", "?status=FAILED&page=2", "abc")).toBe("/jobs/1?status=FAILED&page=2&execution=abc");
    expect(executionHref("/runs", { status: "FAILED", type: ["a", "b"], empty: undefined }, "abc")).toBe("/runs?status=FAILED&type=a&type=b&execution=abc");
  });

  it("replaces or removes it", () => {
    expect(executionHref("/jobs", "execution=old&q=x", "new")).toBe("/jobs?execution=new&q=x");
    expect(executionHref("/jobs", "execution=old&q=x", null)).toBe("/jobs?q=x");
    expect(executionHref("/jobs", "execution=old", null)).toBe("/jobs");
  });
});
