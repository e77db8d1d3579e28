// Inline credentials are write-only. This file is the one place that decides what is one: values of
// headers named Authorization, Cookie, Proxy-Authorization or containing token/secret/key/password
// (any case), and the password in a URL. Every reader (jobs, executions, audit) shows them as
// "[redacted]", and a "[redacted]" sent back keeps the stored value. A value that uses
// {{secrets.NAME}} is shown as written: the secret itself lives in the store, not in the job.
import { DomainError } from "@/lib/errors";
import { REDACTED, SECRET_REFERENCE } from "./references";

export { REDACTED };

const SENSITIVE_HEADER = /^(authorization|cookie|proxy-authorization)$|token|secret|key|password/i;
// scheme://user:password@host — the password runs to the last "@" before the path, as URL parsing does.
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#]*)@/i;

export const isSensitiveHeader = (name: string) => SENSITIVE_HEADER.test(name);

const usesSecret = (value: string) => new RegExp(SECRET_REFERENCE.source).test(value);

/** The URL with its password (if any) replaced by "[redacted]". */
export function redactUrl(url: string): string {
  const match = URL_PASSWORD.exec(url);
  if (!match || match[2] === "" || usesSecret(match[2])) return url;
  return url.replace(URL_PASSWORD, `$1${REDACTED}@`);
}

type Params = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Params as every reader sees them: sensitive header values and URL passwords redacted. */
export function redactParams<T>(params: T): T {
  if (!isRecord(params)) return params;
  const out: Params = { ...params };
  if (typeof out.url === "string") out.url = redactUrl(out.url);
  if (isRecord(out.headers)) {
    out.headers = Object.fromEntries(
      Object.entries(out.headers).map(([name, value]) =>
        typeof value === "string" && isSensitiveHeader(name) && !usesSecret(value) ? [name, REDACTED] : [name, value],
      ),
    );
  }
  return out as T;
}

/** Audit changes with every `params` value (from and to) redacted. */
export function redactChanges<C extends Record<string, { from: unknown; to: unknown }>>(changes: C): C {
  if (!changes.params) return changes;
  return { ...changes, params: { from: redactParams(changes.params.from), to: redactParams(changes.params.to) } };
}

/**
 * Incoming params with every "[redacted]" replaced by the stored value it stands for (a header of
 * the same name, the stored URL's password). A "[redacted]" with nothing stored behind it is 400.
 */
export function restoreRedacted(incoming: Params | undefined, stored: Params | undefined): Params | undefined {
  if (!incoming) return incoming;
  const out: Params = { ...incoming };
  if (typeof out.url === "string") {
    const match = URL_PASSWORD.exec(out.url);
    if (match && safeDecode(match[2]) === REDACTED) {
      const kept = typeof stored?.url === "string" ? URL_PASSWORD.exec(stored.url)?.[2] : undefined;
      if (kept === undefined) throw nothingToKeep("params.url", "the URL's password");
      out.url = out.url.replace(URL_PASSWORD, (_all, before: string) => `${before}${kept}@`);
    }
  }
  if (isRecord(out.headers)) {
    const storedHeaders = isRecord(stored?.headers) ? stored.headers : {};
    out.headers = Object.fromEntries(
      Object.entries(out.headers).map(([name, value]) => {
        if (value !== REDACTED) return [name, value];
        const kept = Object.entries(storedHeaders).find(([storedName]) => storedName.toLowerCase() === name.toLowerCase())?.[1];
        if (typeof kept !== "string") throw nothingToKeep(`params.headers.${name}`, `header ${name}`);
        return [name, kept];
      }),
    );
  }
  return out;
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const nothingToKeep = (path: string, what: string) =>
  new DomainError("VALIDATION_FAILED", `"${REDACTED}" keeps a stored value, but there is no stored value for ${what}; type the value`, {
    field: "params",
    details: [{ path, message: `No stored value to keep; type the value` }],
  });
