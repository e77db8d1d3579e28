// What PostgreSQL can store and our code can walk: shared by the route and action wrappers, so
// both transports refuse the same input with VALIDATION_FAILED instead of failing later as INTERNAL.
import { validationError } from "@/lib/errors";

const MAX_JSON_DEPTH = 64;
export const NUL_MESSAGE = "Text must not contain the NUL character (\\u0000)";

/**
 * PostgreSQL stores no NUL character in text or jsonb, and deeply nested JSON overflows the stack
 * of whatever walks it next (zod, Prisma); refuse both before parsing.
 */
export function assertStorable(body: unknown): void {
  const pending: { value: unknown; path: string[] }[] = [{ value: body, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === "string" && value.includes("\0")) throw validationError([{ path, message: NUL_MESSAGE }]);
    if (value === null || typeof value !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      throw validationError([{ path: path.slice(0, 1), message: `JSON may be nested at most ${MAX_JSON_DEPTH} levels deep` }]);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("\0")) throw validationError([{ path, message: "Keys must not contain the NUL character (\\u0000)" }]);
      pending.push({ value: child, path: [...path, key] });
    }
  }
}
