// Every answer under /api is the contract's JSON: an unknown path is 404 NOT_FOUND, and a method a
// route does not serve is 405 METHOD_NOT_ALLOWED with Allow (OPTIONS answers the same Allow). The
// route files are read from app/api, so a route added tomorrow is checked too.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { METHODS } from "@/lib/http/route";
import { expectError } from "../support/fixtures";

const API_DIR = path.resolve(import.meta.dirname, "../../app/api");
const CATCH_ALL = "[...path]";

function routeFiles(dir = API_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** A URL that reaches the route file: each dynamic segment filled with a uuid. */
function urlFor(file: string): string {
  const segments = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  const filled = segments.map((segment) => (segment.startsWith("[") ? "00000000-0000-4000-8000-000000000000" : segment));
  return `http://localhost:3000/api/${filled.join("/")}`;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const call = async (handler: Handler, method: string, url: string) => {
  const response = await handler(new Request(url, { method }), { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
};

const files = routeFiles().filter((file) => !file.includes(CATCH_ALL));

describe("methods a route does not serve", () => {
  it("finds the route files", () => {
    expect(files.length).toBeGreaterThan(15);
  });

  for (const file of files) {
    const label = path.relative(API_DIR, path.dirname(file)) || "/";
    it(`${label}: every other method answers 405 with Allow, and OPTIONS the same Allow`, async () => {
      const module = (await import(file)) as Partial<Record<string, Handler>>;
      for (const method of [...METHODS, "OPTIONS"]) expect(module[method], `${label} exports ${method}`).toBeTypeOf("function");

      const options = await call(module.OPTIONS!, "OPTIONS", urlFor(file));
      expect(options.status).toBe(204);
      const allow = (options.headers.get("allow") ?? "").split(", ");
      const served = METHODS.filter((method) => allow.includes(method));
      expect(served.length, `${label} serves something`).toBeGreaterThan(0);
      expect(allow).toEqual([...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"]);

      for (const method of METHODS.filter((name) => !served.includes(name))) {
        const answer = await call(module[method]!, method, urlFor(file));
        const error = expectError(answer, 405, "METHOD_NOT_ALLOWED");
        expect(error.message).toContain(method);
        expect(answer.headers.get("allow")).toBe(options.headers.get("allow"));
      }
    });
  }
});

describe("unknown paths under /api", () => {
  it.each([...METHODS, "OPTIONS"])("%s answers 404 NOT_FOUND as JSON", async (method) => {
    const module = (await import(path.join(API_DIR, CATCH_ALL, "route.ts"))) as Record<string, Handler>;
    const error = expectError(await call(module[method], method, "http://localhost:3000/api/no/such/thing"), 404, "NOT_FOUND");
    expect(error.message).toContain("/api/no/such/thing");
  });
});
