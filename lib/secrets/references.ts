// {{secrets.NAME}} references in params: finding them. Free of server imports, so the console's
// form can use it for completion.
export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** What readers get instead of an inline credential (see redact.ts). */
export const REDACTED = "[redacted]";

/** A reference, spaces allowed inside the braces; the name is checked against SECRET_NAME separately. */
export const SECRET_REFERENCE = /\{\{\s*secrets\.([^{}\s]*)\s*\}\}/g;

/** Every string value in params (not keys), with its path, e.g. "headers.Authorization". */
export function* stringsIn(value: unknown, path: string[] = []): Generator<[string[], string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* stringsIn(item, [...path, String(index)]);
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) yield* stringsIn(item, [...path, key]);
}

/** The secret names params refer to, each once, with the path of its first use. */
export function referencedSecrets(params: unknown): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const [path, text] of stringsIn(params)) {
    for (const match of text.matchAll(SECRET_REFERENCE)) if (!names.has(match[1])) names.set(match[1], path);
  }
  return names;
}
