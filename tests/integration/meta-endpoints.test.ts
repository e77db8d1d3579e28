// The endpoints about the API itself: handler definitions, health and the OpenAPI document.
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import { createIdentities, expectError, jobInput, resetDatabase, type Identities } from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

interface Definition {
  type: string;
  description: string;
  examples: { title: string; params: Record<string, unknown> }[];
  defaultParams: Record<string, unknown>;
  paramsSchema: Record<string, any>;
}

describe("GET /api/definitions", () => {
  let items: Definition[];

  beforeAll(async () => {
    const response = await api("GET", "/api/definitions", { token: who.viewer });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(["items"]);
    items = response.body.items;
  });

  const find = (type: string) => items.find((item) => item.type === type)!;

  it("lists http.request and demo.sleep, and hides system.retention", () => {
    const types = items.map((item) => item.type);
    expect(types).toContain("http.request");
    expect(types).toContain("demo.sleep");
    expect(types).not.toContain("system.retention");
  });

  it("gives each definition a description, examples, default params and a JSON Schema", () => {
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(["defaultParams", "description", "examples", "paramsSchema", "type"]);
      expect(item.description.length).toBeGreaterThan(0);
      expect(item.examples.length).toBeGreaterThan(0);
      for (const example of item.examples) expect(example).toEqual({ title: expect.any(String), params: expect.any(Object) });
      expect(item.paramsSchema.type).toBe("object");
      expect(item.paramsSchema.$schema).toMatch(/^https:\/\/json-schema\.org\//);
    }
  });

  it("describes http.request params: url required, method an enum, unknown keys refused", () => {
    const schema = find("http.request").paramsSchema;
    expect(schema.required).toEqual(["url"]);
    expect(schema.properties.url.type).toBe("string");
    expect(schema.properties.method.enum).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);
    expect(schema.properties.timeoutMs).toMatchObject({ type: "integer", minimum: 100, maximum: 3_600_000 });
    expect(schema.additionalProperties).toBe(false);
  });

  it("describes demo.sleep params with their limits and defaults", () => {
    const schema = find("demo.sleep").paramsSchema;
    expect(schema.properties.durationMs).toMatchObject({ type: "integer", minimum: 0, default: 5000 });
    expect(schema.properties.steps).toMatchObject({ type: "integer", minimum: 1, maximum: 1000 });
    expect(schema.properties.fail).toMatchObject({ type: "boolean", default: false });
    expect(schema.required ?? []).toEqual([]);
  });

  it("offers default params and examples that POST /api/jobs accepts", async () => {
    for (const item of items) {
      for (const params of [item.defaultParams, ...item.examples.map((example) => example.params)]) {
        const response = await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ type: item.type, params }) });
        expect(response.status, `${item.type} ${JSON.stringify(params)}: ${JSON.stringify(response.body)}`).toBe(201);
      }
    }
  });

  it("needs a viewer", async () => {
    expectError(await api("GET", "/api/definitions"), 401, "UNAUTHENTICATED");
    expect((await api("GET", "/api/v1/definitions", { token: who.viewer })).status).toBe(200);
  });
});

describe("GET /api/health", () => {
  it("answers ok without credentials, never cached", async () => {
    const response = await api("GET", "/api/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", database: "ok", scheduler: { lastTickAt: null } });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("reports the newest scheduler tick of any instance", async () => {
    const db = await getPrisma();
    await db.schedulerInstance.createMany({
      data: [
        { id: "health-test-a", role: "scheduler", lastTickAt: new Date("2026-01-01T10:00:00.000Z") },
        { id: "health-test-b", role: "all", lastTickAt: new Date("2026-01-01T10:05:00.000Z") },
        { id: "health-test-c", role: "worker", lastTickAt: null },
      ],
    });
    try {
      const response = await api("GET", "/api/v1/health", { token: who.revoked });
      expect(response.status).toBe(200);
      expect(response.body.scheduler).toEqual({ lastTickAt: "2026-01-01T10:05:00.000Z" });
    } finally {
      await db.schedulerInstance.deleteMany({ where: { id: { startsWith: "health-test-" } } });
    }
  });
});

describe("GET /api/openapi.json", () => {
  let doc: any;

  beforeAll(async () => {
    const response = await api("GET", "/api/openapi.json");
    expect(response.status).toBe(200);
    doc = response.body;
  });

  it("is an OpenAPI 3.1.0 document, served without credentials", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it("has the paths and methods of the jobs API and the endpoints beside it", () => {
    const expected: Record<string, string[]> = {
      "/api/jobs": ["get", "post"],
      "/api/jobs/{id}": ["delete", "get", "patch", "put"],
      "/api/jobs/{id}/enable": ["post"],
      "/api/jobs/{id}/disable": ["post"],
      "/api/jobs/{id}/reset": ["post"],
      "/api/audit": ["get"],
      "/api/definitions": ["get"],
      "/api/health": ["get"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths, path).toHaveProperty([path]);
      for (const method of methods) expect(doc.paths[path], `${method} ${path}`).toHaveProperty(method);
    }
  });

  it("documents the list query, pageSize at most 200", () => {
    const parameters = doc.paths["/api/jobs"].get.parameters as { name: string; in: string; schema: any }[];
    const names = parameters.filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
    expect(names).toEqual(expect.arrayContaining(["query", "type", "enabled", "health", "lastStatus", "page", "pageSize"]));
    expect(parameters.find((parameter) => parameter.name === "pageSize")!.schema.maximum).toBe(200);
  });

  it("documents the Job with every field of the contract", () => {
    const job = doc.components.schemas.Job;
    for (const field of ["id", "name", "type", "params", "schedule", "enabled", "health", "systemManaged", "nextRunAt", "lastStatus", "version", "createdBy"]) {
      expect(job.properties, field).toHaveProperty(field);
    }
  });

  it("documents the error shape and answers with it for errors of authenticated endpoints", () => {
    const error = doc.components.schemas.Error;
    expect(error.properties.error.properties).toHaveProperty("code");
    expect(error.properties.error.properties).toHaveProperty("message");
    expect(error.properties.error.required).toEqual(expect.arrayContaining(["code", "message"]));
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        if (path === "/api/health" || path === "/api/openapi.json") continue;
        expect(operation.responses, `${method} ${path}`).toHaveProperty("401");
        expect(operation.responses, `${method} ${path}`).toHaveProperty("403");
      }
    }
    expect(doc.paths["/api/jobs/{id}"].patch.responses).toHaveProperty("409");
    expect(doc.paths["/api/jobs"].post.responses).toHaveProperty("201");
    expect(doc.paths["/api/jobs"].post.responses).toHaveProperty("413");
  });

  it("carries a strong ETag and answers 304 without a body when If-None-Match names it", async () => {
    const first = await api("GET", "/api/openapi.json");
    const tag = first.headers.get("etag")!;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get("cache-control")).toContain("must-revalidate");
    expect(first.headers.get("content-type")).toContain("application/json");
    // Built once: the same bytes and tag on every request.
    const again = await api("GET", "/api/openapi.json");
    expect(again.headers.get("etag")).toBe(tag);
    expect(again.body).toEqual(first.body);

    for (const header of [tag, `W/${tag}`, `"other", ${tag}`, "*"]) {
      const notModified = await api("GET", "/api/openapi.json", { headers: { "if-none-match": header } });
      expect(notModified.status, header).toBe(304);
      expect(notModified.body, header).toBeNull();
      expect(notModified.headers.get("etag"), header).toBe(tag);
    }
    const stale = await api("GET", "/api/openapi.json", { headers: { "if-none-match": '"not-this-one"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.openapi).toBe("3.1.0");
  });

  it("documents its 304 and If-None-Match", () => {
    const get = doc.paths["/api/openapi.json"].get;
    expect(get.responses).toHaveProperty("304");
    expect(get.parameters.map((parameter: { name: string }) => parameter.name)).toContain("If-None-Match");
  });

  it("is served under /api/v1 too", async () => {
    const response = await api("GET", "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
  });
});
