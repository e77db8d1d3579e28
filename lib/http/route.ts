// The one wrapper every route handler uses: authenticate, check role and origin, parse query,
// body and path params with zod, call the service, map DomainError to the contract's answer.
import { z } from "zod";
import { identify } from "@/lib/auth/request";
import { requireRole } from "@/lib/auth/guard";
import type { Actor, Role } from "@/lib/auth/roles";
import { DomainError, notFound, validationError } from "@/lib/errors";
import { assertStorable, textProblem } from "@/lib/storable";
import { errorResponse, json } from "./respond";

export const MAX_BODY_BYTES = 256 * 1024;
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const UUID = z.uuid();

interface RouteOptions<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** The least role allowed; "public" skips authentication. */
  role: Role | "public";
  body?: B;
  /** The body may be absent (then it parses `{}`). */
  bodyOptional?: boolean;
  query?: Q;
}

interface RouteArgs<B, Q> {
  actor: Actor | null;
  body: B;
  query: Q;
  params: Record<string, string>;
  request: Request;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;
type RouteContext = { params: Promise<Record<string, string | string[]>> };

export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  options: RouteOptions<B, Q>,
  handler: (args: RouteArgs<Infer<B>, Infer<Q>>) => Promise<Response | unknown>,
) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const actor = await authenticate(request, options.role);
      const params = parsePathParams(await context?.params);
      // Every query value is checked, also where the route reads none (NUL or unpaired surrogates in any input are 400).
      const rawQuery = searchParamsObject(request.url);
      const query = options.query ? parseWith(options.query, rawQuery) : undefined;
      const body = options.body ? parseWith(options.body, await readJsonBody(request, options.bodyOptional)) : undefined;
      const result = await handler({ actor, body, query, params, request } as RouteArgs<Infer<B>, Infer<Q>>);
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

async function authenticate(request: Request, role: Role | "public"): Promise<Actor | null> {
  if (role === "public") return null;
  const { actor, via } = await identify(request.headers);
  if (via === "cookie" && UNSAFE_METHODS.has(request.method)) assertSameOrigin(request);
  return requireRole(actor, role);
}

/** Cookie-authenticated changes must come from the app's own pages (CSRF protection). */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin") ?? refererOrigin(request.headers.get("referer"));
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const ownOrigins = new Set([new URL(request.url).origin]);
  if (host) ownOrigins.add(`http://${host}`).add(`https://${host}`);
  if (!origin || !ownOrigins.has(origin)) {
    throw new DomainError("FORBIDDEN", "Cross-origin requests with a session cookie are not allowed; use an API token");
  }
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

function parsePathParams(raw: Record<string, string | string[]> | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const text = Array.isArray(value) ? value.join("/") : value;
    // Every id in our paths is a uuid; anything else cannot name a row.
    if (key.toLowerCase().endsWith("id") && !UUID.safeParse(text).success) throw notFound("Resource");
    params[key] = text;
  }
  return params;
}

function searchParamsObject(url: string): Record<string, string> {
  const query = Object.fromEntries(new URL(url).searchParams.entries());
  for (const [key, value] of Object.entries(query)) {
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) throw validationError([{ path: [key], message: problem }]);
  }
  return query;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

async function readJsonBody(request: Request, optional = false): Promise<unknown> {
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > MAX_BODY_BYTES) throw tooLarge();
  const text = await readLimited(request);
  if (text.trim() === "") {
    if (optional) return {};
    throw new DomainError("VALIDATION_FAILED", "A JSON body is required", { details: [{ path: "", message: "Empty body" }] });
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DomainError("VALIDATION_FAILED", "The body is not valid JSON", {
      details: [{ path: "", message: (error as Error).message }],
    });
  }
  assertStorable(body);
  return body;
}

async function readLimited(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = () => new DomainError("PAYLOAD_TOO_LARGE", `The body must be at most ${MAX_BODY_BYTES / 1024} KiB`);

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];
type Handler = (request: Request, context?: RouteContext) => Promise<Response>;

/**
 * The other methods of a route file: each answers 405 METHOD_NOT_ALLOWED with `Allow` (Next.js
 * would answer an empty 405), and OPTIONS answers 204 with the same `Allow`. The route file ends
 * with `export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });`, naming what
 * it serves; tests/integration/api-paths.test.ts checks that every route file does.
 */
export function otherMethods<S extends Partial<Record<Method, unknown>>>(served: S): Record<Exclude<Method, keyof S> | "OPTIONS", Handler> {
  const names = METHODS.filter((method) => served[method]);
  const allow = [...names, ...(names.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: Handler = async (request) =>
    errorResponse(new DomainError("METHOD_NOT_ALLOWED", `${request.method} is not allowed here; use ${names.join(" or ")}`), { allow });
  const handlers: Record<string, Handler> = { OPTIONS: async () => new Response(null, { status: 204, headers: { allow } }) };
  for (const method of METHODS) if (!served[method]) handlers[method] = refuse;
  return handlers as Record<Exclude<Method, keyof S> | "OPTIONS", Handler>;
}

/** The version from `If-Match: "3"` (or W/"3"), if any. */
export function ifMatchVersion(request: Request): number | undefined {
  const header = request.headers.get("if-match");
  // An empty If-Match is a malformed precondition, not a missing one: ignoring it would skip the version check.
  if (header === null || header.trim() === "*") return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new DomainError("VALIDATION_FAILED", 'If-Match must be a version in quotes, e.g. "3"', {
      field: "version",
      details: [{ path: "If-Match", message: "Not a version" }],
    });
  }
  return Number(match[1]);
}

/** Whether `If-None-Match` names this strong ETag (or is `*`); the comparison is weak, as RFC 9110 says, so W/"x" matches "x". */
export function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export const etag = (version: number) => ({ etag: `"${version}"` });
