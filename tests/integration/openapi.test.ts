// The OpenAPI document lists exactly the routes under app/api, method for method, so it cannot
// drift from them. (meta-endpoints.test.ts checks what the document says about the jobs API.)
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { ERROR_STATUS } from "@/lib/errors";
import { EVENT_NAMES } from "@/lib/events/types";
import { ROUTES } from "../support/api";

const APP_DIR = path.resolve(import.meta.dirname, "../../app");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
// HEAD and OPTIONS are answered for every GET and every path; the document lists the operations.

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

/** app/api/jobs/[id]/route.ts -> /api/jobs/{id}; null for catch-alls ([...nextauth]), which belong to next-auth. */
function routePath(file: string): string | null {
  const segments = path.relative(APP_DIR, path.dirname(file)).split(path.sep).filter((segment) => !/^\(.*\)$/.test(segment));
  if (segments.some((segment) => segment.startsWith("[..") || segment.startsWith("[[.."))) return null;
  return "/" + segments.map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
}

async function routesInApp(): Promise<string[]> {
  const routes: string[] = [];
  for (const file of routeFiles(path.join(APP_DIR, "api"))) {
    const routePathname = routePath(file);
    if (!routePathname) continue;
    const module = (await import(file)) as Record<string, unknown>;
    // Every route file exports every method; those it does not serve answer 405, and OPTIONS says which it serves.
    const options = module.OPTIONS as (request: Request) => Promise<Response>;
    const allow = (await options(new Request(`http://localhost:3000${routePathname}`, { method: "OPTIONS" }))).headers.get("allow") ?? "";
    const served = allow.split(", ").filter((method) => method !== "HEAD" && method !== "OPTIONS");
    for (const method of served) if (typeof module[method] === "function") routes.push(`${method} ${routePathname}`);
  }
  return routes.sort();
}

let doc: any;
let routes: string[];

beforeAll(async () => {
  const response = await GET(new Request("http://localhost:3000/api/openapi.json"));
  expect(response.status).toBe(200);
  doc = await response.json();
  routes = await routesInApp();
});

const operations = () =>
  Object.entries<Record<string, any>>(doc.paths).flatMap(([pathname, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method.toUpperCase()))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${pathname}`, pathname, operation })),
  );

describe("the OpenAPI document and the route files", () => {
  it("finds the route files, without next-auth's catch-all", () => {
    expect(routes).toContain("GET /api/jobs");
    expect(routes).toContain("POST /api/jobs/{id}/run-now");
    expect(routes).toContain("GET /api/jobs/{id}/executions/{executionId}");
    expect(routes).toContain("GET /api/openapi.json");
    expect(routes.some((route) => route.includes("/api/auth"))).toBe(false);
  });

  it("has exactly the methods and paths of app/api", () => {
    expect(operations().map(({ key }) => key).sort()).toEqual(routes);
  });

  it("is what the integration tests' api() calls: its route table (read from app/api) has a route for every path, and no other", () => {
    const templates = ROUTES.flatMap((route) => (route.template ? [route.template] : [])).sort();
    expect(templates).toEqual(Object.keys(doc.paths).sort());
    for (const { key, pathname } of operations()) {
      const route = ROUTES.find((candidate) => candidate.template === pathname)!;
      expect(typeof route.module[key.split(" ")[0]], key).toBe("function");
    }
  });

  it("declares every path parameter and answers every operation with a 2xx", () => {
    for (const { key, pathname, operation } of operations()) {
      const inPath = [...pathname.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = operation.parameters.filter((parameter: any) => parameter.in === "path").map((parameter: any) => parameter.name);
      expect(declared, key).toEqual(inPath);
      expect(Object.keys(operation.responses).some((status) => status.startsWith("2")), key).toBe(true);
      expect(operation.operationId, key).toMatch(/^[a-z]+[A-Za-z]+$/);
    }
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("resolves every $ref", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)].map((match) => [match[1], match[2]]);
    expect(new Set(refs.map(([kind]) => kind))).toEqual(new Set(["schemas", "responses"]));
    for (const [kind, name] of refs) expect(doc.components[kind], `${kind}/${name}`).toHaveProperty([name]);
  });

  it("declares each error answer once, with its code and the Error schema, and every operation's error answers resolve to one", () => {
    const shared = doc.components.responses as Record<string, any>;
    for (const [code, answer] of Object.entries(shared)) {
      expect(answer.description.startsWith(`${code}: `), code).toBe(true);
      expect(answer.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    }
    let refs = 0;
    for (const { key, operation } of operations()) {
      for (const [status, answer] of Object.entries<any>(operation.responses)) {
        if (Number(status) < 400) continue;
        // The health check's 503 is its own answer (the health body), not an error.
        if (!answer.$ref && answer.content?.["application/json"]?.schema?.$ref !== "#/components/schemas/Error") continue;
        const resolved = answer.$ref ? shared[answer.$ref.split("/").pop()] : answer;
        expect(resolved?.content?.["application/json"]?.schema, `${key} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
        expect(ERROR_STATUS[resolved.description.split(":")[0] as keyof typeof ERROR_STATUS], `${key} ${status}`).toBe(Number(status));
        refs += answer.$ref ? 1 : 0;
      }
    }
    expect(refs).toBeGreaterThan(operations().length);
    // A job change's 403 says more than the shared one (SYSTEM_MANAGED), so it stays the operation's own.
    expect(doc.paths["/api/jobs/{id}"].patch.responses["403"].description).toMatch(/SYSTEM_MANAGED/);
    expect(doc.paths["/api/jobs/{id}"].get.responses["403"]).toEqual({ $ref: "#/components/responses/FORBIDDEN" });
  });

  it("marks capped totals on execution pages", () => {
    for (const pathname of ["/api/executions", "/api/jobs/{id}/executions"]) {
      const schema = doc.paths[pathname].get.responses["200"].content["application/json"].schema;
      expect(schema.required, pathname).toEqual(expect.arrayContaining(["items", "total", "page", "pageSize", "totalCapped"]));
    }
  });

  it("describes the snapshot and every event of GET /api/events", () => {
    const events = doc.paths["/api/events"].get;
    expect(Object.keys(events.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(Object.keys(events["x-events"]).sort()).toEqual(["snapshot", ...EVENT_NAMES].sort());
  });

  it("protects POST /api/cron/tick with the cron secret, not a role", () => {
    const tick = doc.paths["/api/cron/tick"].post;
    expect(tick.security).toEqual([{ cronSecret: [] }]);
    expect(doc.components.securitySchemes.cronSecret).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
