// The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with.
// The endpoints are listed in openapi-endpoints.ts; this file turns them into the document.
import crypto from "node:crypto";
import { z } from "zod";
import { AuditEventSchema } from "@/lib/audit/schemas";
import { COUNT_LIMIT } from "@/lib/executions/list";
import { ExecutionSchema } from "@/lib/executions/schemas";
import { JobSchema, MAX_PARAMS_BYTES } from "@/lib/jobs/schemas";
import { SECRET_NAME } from "@/lib/secrets/references";
import { ERROR_STATUS } from "@/lib/errors";
import { ENDPOINTS, ExecutionSummarySchema, type Answer, type Endpoint } from "./openapi-endpoints";
import { MAX_BODY_BYTES } from "./route";

export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    details: z.array(z.unknown()).optional().describe("Validation problems as { path, message }; for CONFLICT on a job, the current job"),
    field: z.string().optional().describe("The top-level field the first problem is in"),
    retryable: z.boolean().optional(),
  }),
});

/** Shared schemas: an answer that contains one of these refers to it instead of repeating it. */
const COMPONENTS: [string, z.ZodType][] = [
  ["Job", JobSchema],
  ["Execution", ExecutionSchema],
  ["ExecutionSummary", ExecutionSummarySchema],
  ["AuditEvent", AuditEventSchema],
  ["Error", ErrorSchema],
];

type JsonSchema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  return rest;
}

const componentSchemas = () => Object.fromEntries(COMPONENTS.map(([name, schema]) => [name, convert(schema, "output")]));

// zod's own $ref support reads metadata from a separate registry and would drop every .describe()
// text, so shared schemas are found afterwards: any subtree equal to a component becomes a $ref.
let componentsByJson: Map<string, string> | undefined;

function withRefs(node: unknown): unknown {
  componentsByJson ??= new Map(Object.entries(componentSchemas()).map(([name, schema]) => [JSON.stringify(schema), name]));
  if (node === null || typeof node !== "object") return node;
  const name = componentsByJson.get(JSON.stringify(node));
  if (name) return ref(name);
  if (Array.isArray(node)) return node.map(withRefs);
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRefs(value)]));
}

/** JSON Schema of a zod schema, with shared schemas as $refs into components. */
const jsonSchema = (schema: z.ZodType, io: "input" | "output") => withRefs(convert(schema, io)) as JsonSchema;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "VALIDATION_FAILED: the query, body or If-Match header is not valid, or the body is not JSON",
  401: "UNAUTHENTICATED: no or bad credentials",
  403: "FORBIDDEN: the role is too low, or a cookie-authenticated change came from another origin",
  404: "NOT_FOUND: unknown or deleted id",
  409: "CONFLICT: a stale version; the current job is in `error.details`",
  413: `PAYLOAD_TOO_LARGE: the body is over ${MAX_BODY_BYTES / 1024} KiB`,
  415: "UNSUPPORTED_MEDIA_TYPE: the body is not application/json",
  429: "RATE_LIMITED: too many at once; `Retry-After` says when to try again",
  500: "INTERNAL: something unexpected; it was logged",
  503: "UNAVAILABLE: the database cannot be reached right now; `Retry-After` says when to try again",
};

function errorStatuses(endpoint: Endpoint): number[] {
  // Every operation but the document itself reads the database (the public health check answers its own 503).
  const statuses = new Set<number>(endpoint.path === "/api/openapi.json" ? [500] : [500, 503]);
  if (endpoint.role !== "public") [401, 403].forEach((status) => statuses.add(status));
  // Every query value is checked (NUL, unpaired surrogates), also where the operation reads none.
  statuses.add(400);
  // PUT /api/secrets/{name} creates what it does not find.
  if (endpoint.path.includes("{") && !(endpoint.method === "put" && endpoint.path.includes("{name}"))) statuses.add(404);
  if (endpoint.body) [413, 415].forEach((status) => statuses.add(status));
  if (endpoint.jobMutation) statuses.add(409);
  if (endpoint.rateLimited) statuses.add(429);
  return [...statuses];
}

/** An operation's error answer: a $ref to the shared one (components.responses) unless its description is its own. */
function errorAnswer(endpoint: Endpoint, status: number) {
  if (status === 403 && endpoint.jobMutation) {
    return response({ description: `${ERROR_DESCRIPTIONS[403]}; SYSTEM_MANAGED: the job is managed by Tickwork itself` }, status);
  }
  return { $ref: `#/components/responses/${errorName(status)}` };
}

/** The shared answer's name is its error code: UNAUTHENTICATED for 401. */
const errorName = (status: number) => ERROR_DESCRIPTIONS[status].slice(0, ERROR_DESCRIPTIONS[status].indexOf(":"));

/**
 * The error answers, declared once and referred to by every operation that can give them: inlined,
 * 401, 403, 500 and 503 alone were a fifth of a 148 KB document.
 */
function errorResponses() {
  return Object.fromEntries(Object.entries(ERROR_DESCRIPTIONS).map(([status, description]) => [errorName(Number(status)), response({ description }, Number(status))]));
}

const HEADERS = {
  ETag: { description: 'The job\'s version in quotes, e.g. "3"; send it back as If-Match', schema: { type: "string" } },
  Location: { description: "The URL of what was created or queued", schema: { type: "string" } },
};

function answerSchema(answer: Answer, status: number): JsonSchema | undefined {
  if (answer.schema) return jsonSchema(answer.schema, "output");
  if (status >= 400) return ref("Error");
  return answer.contentType ? { type: "string" } : undefined;
}

function response(answer: Answer, status: number) {
  const contentType = answer.contentType ?? "application/json";
  const schema = answerSchema(answer, status);
  return {
    description: answer.description,
    ...(answer.headers ? { headers: Object.fromEntries(answer.headers.map((name) => [name, HEADERS[name]])) } : {}),
    ...(schema
      ? {
          content: {
            [contentType]: { schema },
            ...Object.fromEntries((answer.alternatives ?? []).map((other) => [other.contentType, { schema: other.schema ? jsonSchema(other.schema, "output") : { type: "string" } }])),
          },
        }
      : {}),
  };
}

function parameters(endpoint: Endpoint): unknown[] {
  const list: unknown[] = [];
  for (const [, name] of endpoint.path.matchAll(/\{(\w+)\}/g)) {
    list.push(
      name === "name"
        ? { name, in: "path", required: true, description: "A secret's name; anything else answers 400", schema: { type: "string", pattern: SECRET_NAME.source } }
        : { name, in: "path", required: true, description: "A uuid; anything else answers 404", schema: { type: "string", format: "uuid" } },
    );
  }
  for (const [name, field] of Object.entries(endpoint.query?.shape ?? {})) {
    const schema = field as z.ZodType;
    list.push({ name, in: "query", required: false, ...(schema.description ? { description: schema.description } : {}), schema: jsonSchema(schema, "input") });
  }
  if (endpoint.jobMutation) {
    list.push({ name: "If-Match", in: "header", required: false, description: 'The expected version, e.g. "3" (or a `version` body field)', schema: { type: "string" } });
  }
  return [...list, ...(endpoint.parameters ?? [])];
}

const SECURITY: Record<Endpoint["role"], unknown[]> = {
  public: [],
  cron: [{ cronSecret: [] }],
  viewer: [{ bearer: [] }, { session: [] }],
  operator: [{ bearer: [] }, { session: [] }],
  admin: [{ bearer: [] }, { session: [] }],
};

const WHO: Record<Endpoint["role"], string> = {
  public: "No authentication.",
  cron: "Needs `Authorization: Bearer <CRON_SECRET>`.",
  viewer: "Needs the viewer role.",
  operator: "Needs the operator role.",
  admin: "Needs the admin role.",
};

function tag(path: string): string {
  if (path.includes("/executions") || path === "/api/enqueue" || path === "/api/stats") return "Executions";
  if (path.startsWith("/api/jobs")) return "Jobs";
  if (path === "/api/events") return "Events";
  if (path === "/api/audit") return "Audit";
  if (path.startsWith("/api/secrets")) return "Secrets";
  if (path.startsWith("/api/channels")) return "Notifications";
  if (path === "/api/cron/tick" || path === "/api/maintenance") return "Scheduler";
  return "Meta";
}

/** postJobsByIdRunNow from POST /api/jobs/{id}/run-now: unique, stable, readable in generated clients. */
function operationId(endpoint: Endpoint): string {
  const words = endpoint.path
    .replace(/^\/api\//, "")
    .split(/[/.-]/)
    .filter(Boolean)
    .flatMap((part) => (part.startsWith("{") ? ["by", part.slice(1, -1)] : [part]));
  return endpoint.method + words.map((word) => word[0].toUpperCase() + word.slice(1)).join("");
}

function operation(endpoint: Endpoint) {
  const responses: Record<string, unknown> = {};
  for (const status of errorStatuses(endpoint)) responses[status] = errorAnswer(endpoint, status);
  for (const [status, answer] of Object.entries(endpoint.responses)) responses[status] = response(answer, Number(status));
  return {
    operationId: operationId(endpoint),
    tags: [tag(endpoint.path)],
    summary: endpoint.summary,
    description: [WHO[endpoint.role], endpoint.description].filter(Boolean).join("\n\n"),
    security: SECURITY[endpoint.role],
    // The least role, for generated clients and tests (tests/integration/generated-roles.test.ts).
    "x-role": endpoint.role,
    parameters: parameters(endpoint),
    ...(endpoint.body
      ? { requestBody: { required: !endpoint.bodyOptional, content: { "application/json": { schema: jsonSchema(endpoint.body, "input") } } } }
      : {}),
    responses,
    ...(endpoint.events
      ? { "x-events": Object.fromEntries(Object.entries(endpoint.events).map(([name, schema]) => [name, jsonSchema(schema, "output")])) }
      : {}),
  };
}

const DESCRIPTION = `Scheduled jobs and their executions. The reference for people is docs/api.md.

- **Alias:** every path is also served under \`/api/v1\` (\`/api/v1/jobs\` is \`/api/jobs\`), by the same handlers.
- **Authentication:** \`Authorization: Bearer <token>\` (tokens from \`npm run token:create\`) or the console's session cookie. Cookie-authenticated POST, PUT, PATCH and DELETE must come from the app's own origin. Every operation names its least role in \`x-role\`: \`public\` (no credentials), \`viewer\`, \`operator\`, \`admin\`, or \`cron\` (only \`Authorization: Bearer <CRON_SECRET>\`).
- **Errors:** every non-2xx answer is \`{ error: { code, message, details?, field?, retryable? } }\` (schema \`Error\`). A path under /api that no operation serves answers 404 \`NOT_FOUND\`; a method a path does not serve answers 405 \`METHOD_NOT_ALLOWED\` with an \`Allow\` header, and OPTIONS answers 204 with the same \`Allow\`. Too many sign-in attempts answer 429 \`RATE_LIMITED\` with \`Retry-After\`.
- **Pages:** \`page\` (from 1) and \`pageSize\` (1..200, default 50); answers are \`{ items, total, page, pageSize }\`. Execution pages add \`totalCapped\`: \`total\` stops at ${COUNT_LIMIT.toLocaleString("en")}.
- **Limits:** bodies at most ${MAX_BODY_BYTES / 1024} KiB of JSON; job params at most ${MAX_PARAMS_BYTES / 1024} KiB as JSON.`;

let built: ReturnType<typeof buildDocument> | undefined;

/** The document, built once per process: it depends only on the code, and building it converts every schema. */
export function openApiDocument() {
  built ??= buildDocument();
  return built;
}

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ENDPOINTS) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path][endpoint.method] = operation(endpoint);
  }
  return {
    openapi: "3.1.0",
    info: { title: "Tickwork API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/" }],
    tags: ["Jobs", "Executions", "Events", "Audit", "Secrets", "Notifications", "Scheduler", "Meta"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token created by an admin (npm run token:create)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The console's session (__Secure-next-auth.session-token over https)" },
        cronSecret: { type: "http", scheme: "bearer", description: "The CRON_SECRET of the deployment; only for GET and POST /api/cron/tick" },
      },
      schemas: componentSchemas(),
      responses: errorResponses(),
    },
  };
}

let served: { body: string; etag: string } | undefined;

/**
 * The document as it goes on the wire, serialized once per process (73 KB: stringifying it per
 * request cost more than the rest of the request), with a strong ETag from its bytes.
 */
export function openApiJson(): { body: string; etag: string } {
  if (!served) {
    const body = JSON.stringify(openApiDocument());
    served = { body, etag: `"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
  }
  return served;
}
