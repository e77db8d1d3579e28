// {{secrets.NAME}} resolution: only here, inside the worker, just before a handler runs. What the
// run leaves behind (result, error, progress, log lines) goes through `scrub`, which puts
// "[redacted]" where a resolved value appears, so no answer, event or log line carries one.
import { getPrisma } from "@/lib/db";
import { HandlerError } from "@/lib/handlers/errors";
import { open } from "./crypto";
import { REDACTED } from "./redact";
import { referencedSecrets, SECRET_REFERENCE } from "./references";

export interface Resolved {
  params: unknown;
  scrub<T>(value: T): T;
}

const identity = <T>(value: T) => value;

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

export async function resolveSecrets(params: unknown): Promise<Resolved> {
  const names = [...referencedSecrets(params).keys()];
  if (names.length === 0) return { params, scrub: identity };
  const db = await getPrisma();
  const rows = await db.secret.findMany({ where: { name: { in: names } } });
  const values = new Map<string, string>();
  for (const row of rows) {
    try {
      values.set(row.name, open(row.name, row));
    } catch (error) {
      throw new HandlerError("SECRET_UNREADABLE", `Secret ${row.name} cannot be decrypted: ${(error as Error).message}`);
    }
  }
  const missing = names.filter((name) => !values.has(name));
  if (missing.length > 0) throw new HandlerError("UNKNOWN_SECRET", `No secret named ${missing.join(", ")} (deleted after this run was queued?)`);
  const resolved = mapStrings(params, (text) => text.replace(SECRET_REFERENCE, (_match, name: string) => values.get(name)!));
  // Longest first, so a value that contains another is replaced whole.
  const secrets = [...new Set(values.values())].sort((a, b) => b.length - a.length);
  const scrubText = (text: string) => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
  return { params: resolved, scrub: <T>(value: T) => mapStrings(value, scrubText) as T };
}
