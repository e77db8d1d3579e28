// A list page's URL search params: read leniently with the API's own query schema (a bad value is
// dropped and reported, never a crash) and written back for links that keep the filters.
import type { z } from "zod";

export type RawParams = Record<string, string | string[] | undefined>;
type Scalar = string | number | boolean | undefined;

/** The first value of a param, trimmed; blank counts as absent. */
export function firstParam(raw: RawParams, key: string): string | undefined {
  const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * Reads `keys` (URL param -> schema field; a list when they are the same) from `raw`, each checked
 * with its field's schema: a bad one is left out and reported as "param=value", so the schema's
 * default (or `defaults`) applies instead.
 */
export function parseLenient<S extends z.ZodObject>(
  raw: RawParams,
  schema: S,
  keys: readonly (keyof S["shape"] & string)[] | Readonly<Record<string, keyof S["shape"] & string>>,
  defaults: Partial<Record<keyof S["shape"], unknown>> = {},
): { query: z.output<S>; ignored: string[] } {
  const fields: [string, string][] = Array.isArray(keys) ? keys.map((key) => [key, key]) : Object.entries(keys);
  const picked: Record<string, unknown> = { ...defaults };
  const ignored: string[] = [];
  for (const [param, field] of fields) {
    const value = firstParam(raw, param);
    if (value === undefined) continue;
    if ((schema.shape[field] as z.ZodType).safeParse(value).success) picked[field] = value;
    else ignored.push(`${param}=${value}`);
  }
  return { query: schema.parse(picked), ignored };
}

interface HrefOptions {
  /** Values left out of the link because they are what an absent param means: `{ page: 1 }`. */
  defaults?: Record<string, Scalar>;
  /** Only these params, in this order (for a parsed query object). */
  keys?: readonly string[];
}

/** "/jobs?type=demo.sleep&page=2": `params` with `changes` applied (undefined or "" removes one). */
export function hrefWith(path: string, params: URLSearchParams | Record<string, Scalar>, changes: Record<string, Scalar> = {}, { defaults = { page: 1 }, keys }: HrefOptions = {}): string {
  const out = new URLSearchParams();
  const values: Record<string, Scalar> = params instanceof URLSearchParams ? Object.fromEntries(params) : { ...params };
  Object.assign(values, changes);
  for (const key of keys ?? Object.keys(values)) {
    const value = values[key];
    if (value === undefined || value === "" || (key in defaults && String(defaults[key]) === String(value))) continue;
    out.set(key, String(value));
  }
  return out.size > 0 ? `${path}?${out}` : path;
}
