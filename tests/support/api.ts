/// <reference types="vite/client" />
// Calls the real route handlers with real Request objects, as Next.js would, by path. The route
// table is read from the route files under app/api, so a new route is callable (and checked) the
// day it lands; every answer is checked against the OpenAPI document (tests/support/openapi-check.ts).
import { checkAnswer } from "./openapi-check";

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Module = Partial<Record<string, Handler>>;

export interface RouteFile {
  /** The route's path as the OpenAPI document writes it, e.g. /api/jobs/{id}; null for a catch-all. */
  template: string | null;
  pattern: RegExp;
  names: string[];
  /** The segment is a catch-all ([...path]): its parameter is an array of segments. */
  catchAll: boolean;
  module: Module;
}

// next-auth's own handler is not part of the API this document describes.
const modules = import.meta.glob<Module>(["/app/api/**/route.ts", "!/app/api/auth/**"], { eager: true });

function routeFile(file: string, module: Module): RouteFile {
  const segments = file.replace(/^\/app/, "").replace(/\/route\.ts$/, "").split("/").filter(Boolean);
  const names: string[] = [];
  let catchAll = false;
  const parts = segments.map((segment) => {
    const spread = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (spread) {
      names.push(spread[1]);
      catchAll = true;
      return "(.+)";
    }
    const param = /^\[(\w+)\]$/.exec(segment);
    if (param) {
      names.push(param[1]);
      return "([^/]+)";
    }
    return segment.replace(/[.]/g, "\\.");
  });
  return {
    template: catchAll ? null : "/" + segments.map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}")).join("/"),
    pattern: new RegExp(`^/${parts.join("/")}$`),
    names,
    catchAll,
    module,
  };
}

/** A literal segment outranks a dynamic one at the same place, as in Next.js (/api/jobs/bulk before /api/jobs/[id]). */
const rank = (route: RouteFile) => (route.catchAll ? 2 : 0) + route.names.length / 100;

export const ROUTES: RouteFile[] = Object.entries(modules)
  .map(([file, module]) => routeFile(file, module))
  .sort((a, b) => {
    const aParts = a.pattern.source.split("/");
    const bParts = b.pattern.source.split("/");
    for (let i = 0; i < Math.min(aParts.length, bParts.length); i++) {
      const aDynamic = aParts[i].startsWith("(");
      const bDynamic = bParts[i].startsWith("(");
      if (aDynamic !== bDynamic) return aDynamic ? 1 : -1;
    }
    return rank(a) - rank(b);
  });

export const BASE_URL = "http://localhost:3000";

export interface ApiOptions {
  token?: string;
  /** A JSON-serialisable body, or a raw string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(method: string, pathAndQuery: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(pathAndQuery, BASE_URL);
  const path = url.pathname.replace(/^\/api\/v1\//, "/api/");
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const handler = route.module[method];
    if (!handler) throw new Error(`${path} exports no ${method} handler; every route file ends with otherMethods(...)`);
    const params = Object.fromEntries(
      route.names.map((name, i) => [name, route.catchAll && i === route.names.length - 1 ? match[i + 1].split("/").map(decodeURIComponent) : decodeURIComponent(match[i + 1])]),
    );
    const headers = new Headers(options.headers);
    if (options.token) headers.set("authorization", `Bearer ${options.token}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    // An event stream never ends by itself: its answer is checked, then the request is aborted.
    const abort = new AbortController();
    const response = await handler(new Request(url, { method, headers, body, signal: abort.signal }), { params: Promise.resolve(params) });
    const contentType = response.headers.get("content-type") ?? "";
    let text = "";
    if (contentType.startsWith("text/event-stream")) {
      abort.abort();
      await response.body?.cancel().catch(() => undefined);
    } else {
      text = await response.text();
    }
    const isJson = (contentType || "application/json").includes("json");
    const parsed = (text ? (isJson ? JSON.parse(text) : text) : null) as T;
    checkAnswer({ method, template: route.template, status: response.status, contentType, body: parsed, hasBody: text !== "" });
    return { status: response.status, headers: response.headers, body: parsed };
  }
  throw new Error(`No route for ${method} ${path} under app/api`);
}
