// What PostgreSQL can store and our code can walk: shared by the route and action wrappers, so
// both transports refuse the same input with VALIDATION_FAILED instead of failing later as INTERNAL.
import { validationError } from "@/lib/errors";

const MAX_JSON_DEPTH = 64;
export const NUL_MESSAGE = "Text must not contain the NUL character (\\u0000)";
export const SURROGATE_MESSAGE = "Text must be well-formed Unicode: an unpaired surrogate (\\uD800-\\uDFFF) cannot be stored";

/** Why text cannot be stored as it is, or null: PostgreSQL stores no NUL, and no unpaired surrogate as UTF-8. */
export function textProblem(text: string): string | null {
  if (text.includes("\0")) return NUL_MESSAGE;
  if (!text.isWellFormed()) return SURROGATE_MESSAGE;
  return null;
}

/**
 * PostgreSQL stores no NUL character in text or jsonb, an unpaired surrogate has no UTF-8 form (it
 * would be stored as U+FFFD, silently changed), and deeply nested JSON overflows the stack of
 * whatever walks it next (zod, Prisma); refuse all three before parsing.
 */
export function assertStorable(body: unknown): void {
  const pending: { value: unknown; path: string[] }[] = [{ value: body, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    const problem = typeof value === "string" ? textProblem(value) : null;
    if (problem) throw validationError([{ path, message: problem }]);
    if (value === null || typeof value !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      throw validationError([{ path: path.slice(0, 1), message: `JSON may be nested at most ${MAX_JSON_DEPTH} levels deep` }]);
    }
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) throw validationError([{ path, message: `Keys: ${keyProblem}` }]);
      pending.push({ value: child, path: [...path, key] });
    }
  }
}

// What a handler produced (results, error and progress messages, log lines) is made storable
// instead of refused: the run already happened, so its outcome must be written whatever it holds.

const REPLACEMENT = "\uFFFD";

/** `text` with NUL and unpaired surrogates replaced, cut to at most `maxBytes` of UTF-8 without splitting a character. */
export function storableText(text: string, maxBytes: number): string {
  const clean = text.toWellFormed().replaceAll("\0", REPLACEMENT);
  // A UTF-8 character is at most 4 bytes: a string this short cannot exceed the cap.
  if (clean.length * 3 <= maxBytes) return clean;
  const bytes = Buffer.from(clean, "utf8");
  if (bytes.length <= maxBytes) return clean;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return bytes.toString("utf8", 0, end);
}

/** The message of anything thrown, however odd (a throwing toString, a Symbol, a cycle). */
export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

export const MAX_RESULT_BYTES = 64 * 1024;
const PREVIEW_BYTES = MAX_RESULT_BYTES - 1024;

export type StorableJson = null | boolean | number | string | StorableJson[] | { [key: string]: StorableJson };

/**
 * A handler's result as JSON PostgreSQL stores: what JSON.stringify would produce, with strings and
 * keys cleaned, BigInt as a decimal string, cycles and over-deep nesting cut with a marker. Over
 * 64 KiB it becomes `{ truncated: true, originalBytes, preview }`; a value that cannot be read at
 * all (a throwing getter or toJSON) becomes `{ unstorable: true, reason }`.
 */
export function storableResult(value: unknown): StorableJson {
  if (value === undefined || value === null) return null;
  let clean: StorableJson | undefined;
  try {
    clean = toStorableJson(value, new Set(), 0);
  } catch (error) {
    return { unstorable: true, reason: storableText(`The handler returned a value that cannot be serialised: ${describeThrown(error)}`, 1000) };
  }
  if (clean === undefined) return null;
  const text = JSON.stringify(clean);
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_RESULT_BYTES) return clean;
  return { truncated: true, originalBytes: bytes, preview: storableText(text, PREVIEW_BYTES) };
}

function toStorableJson(value: unknown, ancestors: Set<object>, depth: number): StorableJson | undefined {
  if (value === null) return null;
  if (typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case "string":
      return storableText(value, Number.MAX_SAFE_INTEGER);
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return undefined; // functions, symbols, undefined: left out, as JSON.stringify does
  }
  if (value === null) return null;
  if (ancestors.has(value)) return "[Circular]";
  if (depth >= MAX_JSON_DEPTH) return "[Nested too deep]";
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toStorableJson(item, ancestors, depth + 1) ?? null);
    const out: Record<string, StorableJson> = {};
    for (const [key, child] of Object.entries(value)) {
      const clean = toStorableJson(child, ancestors, depth + 1);
      if (clean !== undefined) out[storableText(key, 1024)] = clean;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
