// JSON as text for people: pretty-printed, cut short when it is large, and syntax errors told by
// line and column (browsers report a character position, or nothing, depending on the engine).

export const formatJson = (value: unknown): string => JSON.stringify(value ?? null, null, 2) ?? "null";

export interface Truncated {
  text: string;
  truncated: boolean;
  /** Lines left out, counted in the full text. */
  hiddenLines: number;
}

/** The start of `text`, at most `maxLines` lines and about `maxChars` characters, cut at a line end when one is near. */
export function truncateText(text: string, { maxChars = 4096, maxLines = 200 } = {}): Truncated {
  const lines = text.split("\n");
  if (text.length <= maxChars && lines.length <= maxLines) return { text, truncated: false, hiddenLines: 0 };
  let kept = lines.slice(0, maxLines).join("\n");
  if (kept.length > maxChars) {
    const lastBreak = kept.lastIndexOf("\n", maxChars);
    // One huge line (a long string value) is cut mid-line rather than shown whole.
    kept = lastBreak > maxChars / 2 ? kept.slice(0, lastBreak) : kept.slice(0, maxChars);
  }
  const keptLines = kept.split("\n").length;
  return { text: kept, truncated: true, hiddenLines: lines.length - keptLines };
}

/** "812 B", "3.4 KB", "1.2 MB": the size of the text as UTF-8. */
export function formatBytes(text: string): string {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface JsonSyntaxError {
  message: string;
  line?: number;
  column?: number;
}

/** The parsed value, or what is wrong with the text and, when the engine tells, where. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: describeJsonError(text, error instanceof Error ? error.message : String(error)) };
  }
}

/** Reads the place out of the engine's message: V8 says "at position 14" (newer ones add "(line 3 column 3)"), Firefox "at line 3 column 3". */
export function describeJsonError(text: string, engineMessage: string): JsonSyntaxError {
  const lineColumn = /line (\d+) column (\d+)/i.exec(engineMessage);
  const position = /at position (\d+)/i.exec(engineMessage);
  const where = lineColumn
    ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
    : position
      ? lineAndColumn(text, Number(position[1]))
      : /unexpected end/i.test(engineMessage)
        ? lineAndColumn(text, text.length)
        : undefined;
  const reason = engineMessage
    .replace(/^JSON\.parse: /, "")
    .replace(/\s*\(line \d+ column \d+\)/i, "")
    .replace(/\s*(in JSON )?at (position \d+|line \d+ column \d+)( of the JSON data)?/i, "")
    .replace(/\s+in JSON$/i, "")
    .trim();
  return where ? { message: `Line ${where.line}, column ${where.column}: ${reason}`, ...where } : { message: reason };
}

/** 1-based line and column of a 0-based character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
