// The params editor's view of write-only credentials and secret references, on the JSON text:
// which values the server hid ("[redacted]": set, hidden), putting a typed replacement in place of
// one, and the secret name being typed after "{{secrets." for completion.
import { REDACTED } from "@/lib/secrets/references";

export interface HiddenCredential {
  /** "url" or "headers.<name>" */
  path: string;
  label: string;
}

const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#]*)@/i;

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isRedactedPassword = (url: unknown) => {
  const password = typeof url === "string" ? URL_PASSWORD.exec(url)?.[2] : undefined;
  return password === REDACTED || password === encodeURIComponent(REDACTED);
};

export function hiddenCredentials(text: string): HiddenCredential[] {
  const params = parseObject(text);
  if (!params) return [];
  const found: HiddenCredential[] = [];
  if (isRedactedPassword(params.url)) found.push({ path: "url", label: "The URL's password" });
  const headers = params.headers;
  if (headers && typeof headers === "object" && !Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers)) if (value === REDACTED) found.push({ path: `headers.${name}`, label: `Header ${name}` });
  }
  return found;
}

/** The params text with the hidden value at `path` replaced by `value`, formatted as the editor shows it. */
export function replaceHidden(text: string, path: string, value: string): string {
  const params = parseObject(text);
  if (!params) return text;
  if (path === "url" && typeof params.url === "string") {
    params.url = params.url.replace(URL_PASSWORD, (_all, before: string) => `${before}${encodeURIComponent(value)}@`);
  } else if (path.startsWith("headers.") && params.headers && typeof params.headers === "object") {
    (params.headers as Record<string, unknown>)[path.slice("headers.".length)] = value;
  }
  return JSON.stringify(params, null, 2);
}

/** The start of a secret name being typed right before the caret ("{{secrets.REP"), or null. */
export function secretPrefixBefore(textBeforeCaret: string): string | null {
  const match = /\{\{\s*secrets\.([A-Z0-9_]*)$/.exec(textBeforeCaret);
  return match ? match[1] : null;
}
