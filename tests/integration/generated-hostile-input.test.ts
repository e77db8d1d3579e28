// Hostile input for every operation of the OpenAPI document, generated from the document itself (its
// paths, parameters and request body schemas), so a new endpoint is attacked the day it is listed.
// fast-check makes the values, from a fixed seed so every run sends the same requests.
// For every answer: never 500; an error answer has the Error schema and the code of its status
// (tests/support/api.ts checks every answer against the document); a refused request stores nothing.
// Where the document says the input is invalid (by ajv, against the operation's schemas), the
// answer must be 400, so the document is never looser or stricter than the API.
import crypto from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { openApiDocument } from "@/lib/http/openapi";
import { api, type ApiOptions, type ApiResponse } from "../support/api";
import { createIdentities, expectError, insertExecution, jobInput, resetDatabase, type Identities } from "../support/fixtures";

const SEED = 20_261_201;
const SAMPLES_PER_FIELD = 4;
const KIB = 1024;

type Schema = Record<string, any>;
const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };

interface Operation {
  key: string;
  method: string;
  template: string;
  role: "public" | "cron" | "viewer" | "operator" | "admin";
  body?: Schema;
  query: { name: string; schema: Schema }[];
  ifMatch: boolean;
}

const OPERATIONS: Operation[] = Object.entries(doc.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    key: `${method.toUpperCase()} ${template}`,
    method: method.toUpperCase(),
    template,
    role: operation["x-role"],
    body: operation.requestBody?.content?.["application/json"]?.schema,
    query: operation.parameters.filter((parameter: Schema) => parameter.in === "query").map((parameter: Schema) => ({ name: parameter.name, schema: parameter.schema })),
    ifMatch: operation.parameters.some((parameter: Schema) => parameter.in === "header" && parameter.name === "If-Match"),
  })),
);

// ---- The document's schemas, for the oracle and for a valid body to start from -----------------

const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
ajv.addSchema(doc as object, "openapi");
const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");
const bodyValidator = (operation: Operation) =>
  ajv.getSchema(`openapi#/paths/${escape(operation.template)}/${operation.method.toLowerCase()}/requestBody/content/application~1json/schema`)!;

const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(doc.components.schemas[schema.$ref.split("/").pop()]) : schema);

/** The smallest value a schema accepts, as far as a schema says (defaults, enums, required fields). */
function example(raw: Schema): unknown {
  const schema = resolve(raw);
  if ("default" in schema) return schema.default;
  if ("const" in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return example(alternatives.find((alternative: Schema) => alternative.type !== "null") ?? alternatives[0]);
  switch (schema.type) {
    case "object":
      return Object.fromEntries((schema.required ?? []).map((name: string) => [name, example(schema.properties[name])]));
    case "array":
      return schema.minItems ? [example(schema.items)] : [];
    case "string":
      return schema.format === "date-time" ? new Date(Date.now() + 3_600_000).toISOString() : "fuzz";
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return false;
    default:
      return null;
  }
}

// ---- Fixtures: real ids, so a request gets past "not found" to the code behind it ----------------

let who: Identities;
const fixture = { jobId: "", executionId: "", channelId: "", secretName: "FUZZ_SECRET" };

async function ensureFixtures() {
  const db = await getPrisma();
  const job = fixture.jobId ? await db.job.findUnique({ where: { id: fixture.jobId } }) : null;
  if (!job || job.deletedAt) {
    const created = await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }) });
    fixture.jobId = created.body.id;
    fixture.executionId = (await insertExecution(created.body, new Date(Date.now() - 60_000))).id;
  }
  if (!fixture.channelId || !(await db.notificationChannel.findUnique({ where: { id: fixture.channelId } }))) {
    const channel = await api("POST", "/api/channels", {
      token: who.admin,
      body: { name: `fuzz ${crypto.randomUUID().slice(0, 8)}`, kind: "webhook", target: "http://127.0.0.1:9/fuzz", events: ["failed"] },
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    fixture.channelId = channel.body.id;
  }
  if (!(await db.secret.findUnique({ where: { name: fixture.secretName } }))) {
    expect((await api("PUT", `/api/secrets/${fixture.secretName}`, { token: who.admin, body: { value: "fuzz" } })).status).toBe(200);
  }
}

function pathOf(template: string, replace: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (name in replace) return replace[name];
    if (name === "name") return fixture.secretName;
    if (name === "executionId") return fixture.executionId;
    if (name === "deliveryId") return crypto.randomUUID();
    if (template.startsWith("/api/channels")) return fixture.channelId;
    if (template.startsWith("/api/executions")) return fixture.executionId;
    return fixture.jobId;
  });
}

/** A body the operation accepts, where the schema alone cannot say (a handler type, a name that must be unique, a time window). */
const BASES: Record<string, () => unknown> = {
  "POST /api/jobs": () => jobInput(),
  "PUT /api/jobs/{id}": () => jobInput(),
  "POST /api/jobs/bulk": () => ({ action: "disable", ids: [fixture.jobId] }),
  "POST /api/jobs/{id}/backfill": () => ({ from: new Date(Date.now() - 7_200_000).toISOString(), to: new Date(Date.now() - 3_600_000).toISOString(), dryRun: true }),
  "POST /api/enqueue": () => ({ type: "demo.sleep", params: { durationMs: 10, steps: 1 } }),
  "POST /api/channels": () => ({ name: `fuzz ${crypto.randomUUID().slice(0, 8)}`, kind: "webhook", target: "http://127.0.0.1:9/fuzz", events: ["failed"] }),
  "PUT /api/maintenance": () => ({ until: new Date(Date.now() + 3_600_000).toISOString(), reason: "fuzz" }),
};

const baseBody = (operation: Operation) => (BASES[operation.key] ?? (() => example(operation.body!)))();

/** Counts that any stored change moves; a refused request must leave them all as they were. */
async function fingerprint(): Promise<string> {
  const db = await getPrisma();
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT
    (SELECT count(*) FROM jobs)::text AS jobs, (SELECT coalesce(sum(version), 0) FROM jobs)::text AS versions,
    (SELECT count(*) FROM jobs WHERE deleted_at IS NOT NULL)::text AS deleted,
    (SELECT count(*) FROM executions)::text AS executions, (SELECT count(*) FROM audit_events)::text AS audit,
    (SELECT count(*) FROM secrets)::text AS secrets, (SELECT max(updated_at) FROM secrets)::text AS secrets_at,
    (SELECT count(*) FROM notification_channels)::text AS channels, (SELECT count(*) FROM notification_deliveries)::text AS deliveries,
    (SELECT count(*) FROM maintenance_windows)::text AS maintenance, (SELECT count(*) FROM users)::text AS users`);
  return JSON.stringify(rows[0]);
}

// ---- Hostile values --------------------------------------------------------------------------

const NUL_OR_LONE_SURROGATE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const hasBadText = (value: unknown): boolean =>
  typeof value === "string"
    ? NUL_OR_LONE_SURROGATE.test(value)
    : value !== null && typeof value === "object" && Object.entries(value).some(([key, child]) => NUL_OR_LONE_SURROGATE.test(key) || hasBadText(child));

const nested = (depth: number, leaf: unknown, kind: "array" | "object"): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
};

/** Deep JSON as text: JSON.stringify would overflow the stack first. */
const deepJson = (depth: number, kind: "array" | "object") =>
  kind === "array" ? "[".repeat(depth) + "1" + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const FIXED_VALUES: unknown[] = [
  null, true, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308,
  "", " ", "\u0000", "a\u0000b", "a\uD800b", "\uDC00", "😀".repeat(300), "x".repeat(70 * KIB),
  [], {}, ["\u0000"], { a: "\uD800" }, { "\u0000": 1 },
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string16bits({ maxLength: 20 }),
  fc.fullUnicodeString({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string16bits({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string16bits({ maxLength: 5 }), fc.oneof(fc.string16bits({ maxLength: 5 }), fc.integer()), { maxKeys: 3 }),
);

const sampled = (label: string, count: number) => {
  const seed = SEED + [...label].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) | 0, 0);
  return fc.sample(hostileValue, { seed, numRuns: count });
};

// Raw JSON text a JavaScript value cannot write.
const RAW_NUMBERS = ["1e400", "-0", "123456789012345678901234567890"];

const MALFORMED_JSON = ["{", '{"a":', "[1,]", "{'a':1}", "nul", '{"a":1}}', '"unterminated', "{\"a\":\"\\ud800\"", "\u0000", "{}\u0000"];
const NOT_OBJECTS = ["null", "1", '"text"', "[]", "true"];
const WRONG_CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/xml", ""];

const BAD_IDS = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "%EF%BF%BD", "a".repeat(2000), "1%20OR%201%3D1", "%F0%9F%98%80", "123"];
const BAD_NAMES = ["lowercase", "%00", "A".repeat(65), "A-B", "%EF%BF%BD", "1ABC", "A%20B"];

const BAD_COOKIES = [
  "next-auth.session-token=%",
  "next-auth.session-token=",
  "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.BBBB.CCCC",
  "next-auth.session-token.0=abc; next-auth.session-token.1=%ZZ",
  `next-auth.session-token=${"A".repeat(6000)}`,
  "=;;;=; next-auth.session-token==",
];
const BAD_TOKENS = ["Bearer", "Bearer ", "Bearer tw_%E0%A4%A", `Bearer ${"x".repeat(6000)}`, "Basic YWRtaW46YWRtaW4=", "Bearer tw_\u00ff\u00fe", "Bearer a b"];
const BAD_IF_MATCH = ["", "abc", '"-1"', '"1.5"', 'W/"x"', '"1", "2"', '"99999999999999999999"', "\"\u00ff\""];

const QUERY_VALUES = ["", "\u0000", "a\u0000", "\uD800", "-1", "0", "1e309", "9".repeat(400), "0x1F", "NaN", "true", "[]", "%"];

// ---- Running a case ------------------------------------------------------------------------

interface Case {
  label: string;
  /** The path (with ids) and the request; made when the case runs, so the fixtures exist. */
  request: () => { path: string; options: ApiOptions };
  /** The status (and code) the contract requires, when it says one. */
  expect?: { status: number; code: string } | ((response: ApiResponse) => void);
}

const credentialsFor = (operation: Operation): ApiOptions => (operation.role === "public" || operation.role === "cron" ? {} : { token: who.admin });

function rawBody(operation: Operation, body: string, contentType = "application/json"): ApiOptions {
  return { ...credentialsFor(operation), body, headers: { "content-type": contentType } };
}

function casesFor(operation: Operation): Case[] {
  const cases: Case[] = [];
  const withBase = (): ApiOptions => (operation.body ? { ...credentialsFor(operation), body: baseBody(operation) } : credentialsFor(operation));

  // Malformed credentials: no credentials at all, never a 500.
  const refusal = (response: ApiResponse) => {
    if (operation.role === "public") expect([401, 403]).not.toContain(response.status);
    else if (operation.role === "cron") expect([401, 403]).toContain(response.status);
    else expectError(response, 401, "UNAUTHENTICATED");
  };
  for (const cookie of BAD_COOKIES) {
    cases.push({ label: `Cookie: ${cookie.slice(0, 50)}`, request: () => ({ path: pathOf(operation.template), options: { ...withBase(), token: undefined, headers: { cookie, origin: "http://localhost:3000" } } }), expect: refusal });
  }
  for (const authorization of BAD_TOKENS) {
    cases.push({ label: `Authorization: ${authorization.slice(0, 50)}`, request: () => ({ path: pathOf(operation.template), options: { ...withBase(), token: undefined, headers: { authorization } } }), expect: refusal });
  }

  // Bad path ids and names.
  for (const [, name] of operation.template.matchAll(/\{(\w+)\}/g)) {
    for (const bad of name === "name" ? BAD_NAMES : BAD_IDS) {
      cases.push({
        label: `{${name}} = ${bad.slice(0, 40)}`,
        request: () => ({ path: pathOf(operation.template, { [name]: bad }), options: withBase() }),
        expect: name === "name" ? { status: 400, code: "VALIDATION_FAILED" } : { status: 404, code: "NOT_FOUND" },
      });
    }
  }

  // Query values: empty, NUL, numbers out of range, garbage; an unknown and a repeated parameter.
  for (const { name, schema } of operation.query) {
    for (const value of [...QUERY_VALUES, ...(sampled(`${operation.key}?${name}`, 2).filter((v) => typeof v === "string") as string[])]) {
      cases.push({
        label: `?${name}=${JSON.stringify(value).slice(0, 40)}`,
        request: () => ({ path: `${pathOf(operation.template)}?${new URLSearchParams({ [name]: value })}`, options: credentialsFor(operation) }),
        expect: (response) => {
          const resolved = resolve(schema);
          const integer = resolved.type === "integer";
          const refused =
            value.includes("\0") ||
            (integer && (!/^\d+$/.test(value) || Number(value) < (resolved.minimum ?? -Infinity) || Number(value) > (resolved.maximum ?? Infinity))) ||
            (resolved.enum && !resolved.enum.includes(value)) ||
            (resolved.pattern && !new RegExp(resolved.pattern, "u").test(value) && name !== "lastEventId") ||
            (resolved.maxLength !== undefined && [...value].length > resolved.maxLength);
          if (refused) expectError(response, 400, "VALIDATION_FAILED");
        },
      });
    }
  }
  if (operation.query.length > 0) {
    const first = operation.query[0].name;
    cases.push({ label: "an unknown query parameter", request: () => ({ path: `${pathOf(operation.template)}?zzUnknown=1`, options: credentialsFor(operation) }) });
    cases.push({ label: `?${first} twice`, request: () => ({ path: `${pathOf(operation.template)}?${first}=1&${first}=2`, options: credentialsFor(operation) }) });
  }

  if (operation.ifMatch) {
    for (const value of BAD_IF_MATCH) {
      cases.push({
        label: `If-Match: ${value}`,
        request: () => ({ path: pathOf(operation.template), options: { ...withBase(), headers: { "if-match": value } } }),
        expect: /^(?:W\/)?"?\d+"?$/.test(value.trim()) ? undefined : { status: 400, code: "VALIDATION_FAILED" },
      });
    }
  }

  if (!operation.body) return cases;

  // The body as a whole.
  for (const text of MALFORMED_JSON) {
    cases.push({ label: `malformed JSON ${JSON.stringify(text)}`, request: () => ({ path: pathOf(operation.template), options: rawBody(operation, text) }), expect: { status: 400, code: "VALIDATION_FAILED" } });
  }
  for (const text of NOT_OBJECTS) {
    cases.push({ label: `the body ${text}`, request: () => ({ path: pathOf(operation.template), options: rawBody(operation, text) }), expect: { status: 400, code: "VALIDATION_FAILED" } });
  }
  for (const contentType of WRONG_CONTENT_TYPES) {
    cases.push({
      label: `Content-Type: ${contentType || "(empty)"}`,
      request: () => ({ path: pathOf(operation.template), options: rawBody(operation, JSON.stringify(baseBody(operation)), contentType) }),
      expect: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    });
  }
  cases.push({
    label: "a 300 KiB body",
    request: () => ({ path: pathOf(operation.template), options: rawBody(operation, JSON.stringify({ ...(baseBody(operation) as object), padding: "x".repeat(300 * KIB) })) }),
    expect: { status: 413, code: "PAYLOAD_TOO_LARGE" },
  });
  for (const [depth, kind] of [[64, "array"], [64, "object"], [5000, "array"]] as const) {
    cases.push({
      label: `${depth}-deep ${kind}s`,
      request: () => ({ path: pathOf(operation.template), options: rawBody(operation, deepJson(depth, kind)) }),
      expect: { status: 400, code: "VALIDATION_FAILED" },
    });
  }
  const validate = bodyValidator(operation);
  if (resolve(operation.body).additionalProperties === false) {
    cases.push({
      label: "an unknown field",
      request: () => ({ path: pathOf(operation.template), options: { ...credentialsFor(operation), body: { ...(baseBody(operation) as object), zzUnknown: 1 } } }),
      expect: { status: 400, code: "VALIDATION_FAILED" },
    });
  }

  // Each field of the body: wrong types, boundaries, huge numbers, NUL and unpaired surrogates, deep nesting.
  for (const field of Object.keys(resolve(operation.body).properties ?? {})) {
    const values = [...FIXED_VALUES, nested(64, "deep", "object"), nested(64, 1, "array"), ...sampled(`${operation.key} ${field}`, SAMPLES_PER_FIELD)];
    for (const value of values) {
      cases.push({
        label: `${field}: ${JSON.stringify(value)?.slice(0, 40)}`,
        request: () => ({ path: pathOf(operation.template), options: { ...credentialsFor(operation), body: { ...(baseBody(operation) as object), [field]: value } } }),
        expect: (response) => {
          const sent = JSON.parse(JSON.stringify({ ...(baseBody(operation) as object), [field]: value }));
          // NUL and unpaired surrogates in any input are 400 (CONTRACT, security behaviour); so is what the document refuses.
          if (hasBadText(sent) || !validate(sent)) expectError(response, 400, "VALIDATION_FAILED");
        },
      });
    }
    for (const raw of RAW_NUMBERS) {
      cases.push({
        label: `${field}: ${raw} (raw JSON)`,
        request: () => ({
          path: pathOf(operation.template),
          options: rawBody(operation, JSON.stringify({ ...(baseBody(operation) as object), [field]: "__RAW__" }).replace('"__RAW__"', raw)),
        }),
      });
    }
  }
  return cases;
}

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
  await ensureFixtures();
});

it("attacks every operation of the document", () => {
  expect(OPERATIONS.length).toBeGreaterThan(40);
  for (const operation of OPERATIONS) expect(casesFor(operation).length, operation.key).toBeGreaterThan(0);
});

describe.each(OPERATIONS.map((operation) => [operation.key, operation] as const))("%s", (_key, operation) => {
  it("answers hostile input without a 500, with the contract's errors, and stores nothing it refused", async () => {
    const failures: string[] = [];
    await ensureFixtures();
    let before = await fingerprint();
    for (const testCase of casesFor(operation)) {
      const { path, options } = testCase.request();
      let response: ApiResponse | undefined;
      try {
        response = await api(operation.method, path, options);
        expect(response.status, JSON.stringify(response.body)?.slice(0, 300)).not.toBe(500);
        if (typeof testCase.expect === "function") testCase.expect(response);
        else if (testCase.expect) expectError(response, testCase.expect.status, testCase.expect.code);
        if (response.status >= 400) expect(await fingerprint(), "a refused request changed what is stored").toBe(before);
      } catch (error) {
        const answer = response ? ` -> ${response.status} ${JSON.stringify(response.body)?.slice(0, 200)}` : "";
        failures.push(`${testCase.label}${answer}: ${(error as Error).message.slice(0, 600)}`);
      }
      // Only an accepted request may change what is stored (and delete a fixture).
      if (!response || response.status < 400 || failures.length > 0) {
        await ensureFixtures();
        before = await fingerprint();
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
