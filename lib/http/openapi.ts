// The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with.
import { z } from "zod";
import { AuditEventSchema, AuditQuery } from "@/lib/audit/list";
import { ExecutionSchema } from "@/lib/executions/schemas";
import { DefinitionSchema } from "@/lib/handlers/registry";
import { JobInput, JobListQuery, JobPatch, JobReplace, JobSchema, VersionBody } from "@/lib/jobs/schemas";
import { ERROR_STATUS } from "@/lib/errors";
import { pageSchema } from "./pagination";

type Role = "viewer" | "operator" | "admin" | "public";

interface Endpoint {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  role: Role;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyOptional?: boolean;
  ifMatch?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType | { $ref: string } }>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const JobDetailSchema = JobSchema.extend({ recentExecutions: z.array(ExecutionSchema), audit: z.array(AuditEventSchema) });
const HealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["ok", "unreachable"]),
  scheduler: z.object({ lastTickAt: z.string().nullable() }),
});

export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    details: z.array(z.unknown()).optional(),
    field: z.string().optional(),
    retryable: z.boolean().optional(),
  }),
});

const ENDPOINTS: Endpoint[] = [
  { method: "get", path: "/api/jobs", summary: "List jobs", role: "viewer", query: JobListQuery, responses: { 200: { description: "A page of jobs", schema: pageSchema(JobSchema) } } },
  { method: "post", path: "/api/jobs", summary: "Create a job", role: "operator", body: JobInput, responses: { 201: { description: "Created", schema: ref("Job") }, 409: { description: "Duplicate name" } } },
  { method: "get", path: "/api/jobs/{id}", summary: "A job with its newest executions and audit events", role: "viewer", responses: { 200: { description: "The job", schema: JobDetailSchema } } },
  { method: "put", path: "/api/jobs/{id}", summary: "Replace a job's editable fields (omitted optional fields return to defaults)", role: "operator", body: JobReplace, ifMatch: true, responses: { 200: { description: "Updated", schema: ref("Job") }, 409: { description: "Stale version or duplicate name" } } },
  { method: "patch", path: "/api/jobs/{id}", summary: "Change some of a job's fields", role: "operator", body: JobPatch, ifMatch: true, responses: { 200: { description: "Updated", schema: ref("Job") }, 409: { description: "Stale version or duplicate name" } } },
  { method: "delete", path: "/api/jobs/{id}", summary: "Soft-delete a job", role: "operator", body: VersionBody, bodyOptional: true, ifMatch: true, responses: { 204: { description: "Deleted" } } },
  { method: "post", path: "/api/jobs/{id}/enable", summary: "Enable a job (idempotent)", role: "operator", body: VersionBody, bodyOptional: true, ifMatch: true, responses: { 200: { description: "The job", schema: ref("Job") } } },
  { method: "post", path: "/api/jobs/{id}/disable", summary: "Disable a job (idempotent)", role: "operator", body: VersionBody, bodyOptional: true, ifMatch: true, responses: { 200: { description: "The job", schema: ref("Job") } } },
  { method: "post", path: "/api/jobs/{id}/reset", summary: "Reset a failed job to active", role: "operator", body: VersionBody, bodyOptional: true, ifMatch: true, responses: { 200: { description: "The job", schema: ref("Job") }, 409: { description: "The job is not failed" } } },
  { method: "get", path: "/api/audit", summary: "Audit events, newest first", role: "operator", query: AuditQuery, responses: { 200: { description: "A page of audit events", schema: pageSchema(AuditEventSchema) } } },
  { method: "get", path: "/api/definitions", summary: "Handler types with the JSON Schema of their params", role: "viewer", responses: { 200: { description: "Definitions", schema: z.object({ items: z.array(DefinitionSchema) }) } } },
  { method: "get", path: "/api/health", summary: "Health of the app, the database and the scheduler", role: "public", responses: { 200: { description: "Healthy", schema: HealthSchema }, 503: { description: "The database is unreachable", schema: HealthSchema } } },
  { method: "get", path: "/api/openapi.json", summary: "This document", role: "public", responses: { 200: { description: "OpenAPI 3.1" } } },
];

const jsonSchema = (schema: z.ZodType | { $ref: string }, io: "input" | "output") =>
  schema instanceof z.ZodType ? z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) : schema;

function errorResponses(endpoint: Endpoint) {
  const codes = new Set<number>([500]);
  if (endpoint.role !== "public") [401, 403].forEach((code) => codes.add(code));
  if (endpoint.query || endpoint.body || endpoint.path.includes("{id}")) codes.add(400);
  if (endpoint.path.includes("{id}")) codes.add(404);
  if (endpoint.body) [413, 415].forEach((code) => codes.add(code));
  if (endpoint.ifMatch) codes.add(409);
  return Object.fromEntries([...codes].map((code) => [code, { description: "Error", content: { "application/json": { schema: ref("Error") } } }]));
}

function operation(endpoint: Endpoint) {
  const parameters: unknown[] = [];
  if (endpoint.path.includes("{id}")) parameters.push({ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } });
  for (const [name, field] of Object.entries(endpoint.query?.shape ?? {})) {
    parameters.push({ name, in: "query", required: false, schema: jsonSchema(field as z.ZodType, "input") });
  }
  if (endpoint.ifMatch) {
    parameters.push({ name: "If-Match", in: "header", required: false, description: 'Expected version, e.g. "3"', schema: { type: "string" } });
  }
  const responses = { ...errorResponses(endpoint) } as Record<string, unknown>;
  for (const [status, response] of Object.entries(endpoint.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { "application/json": { schema: jsonSchema(response.schema, "output") } } } : {}),
    };
  }
  return {
    summary: endpoint.summary,
    description: endpoint.role === "public" ? "No authentication." : `Needs the ${endpoint.role} role.`,
    security: endpoint.role === "public" ? [] : [{ bearer: [] }, { session: [] }],
    parameters,
    ...(endpoint.body
      ? { requestBody: { required: !endpoint.bodyOptional, content: { "application/json": { schema: jsonSchema(endpoint.body, "input") } } } }
      : {}),
    responses,
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ENDPOINTS) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path][endpoint.method] = operation(endpoint);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tickwork API",
      version: "1.0.0",
      description: "Scheduled jobs and their executions. Every path is also served under /api/v1. See docs/api.md.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token created by an admin (npm run token:create)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: {
        Job: jsonSchema(JobSchema, "output"),
        Execution: jsonSchema(ExecutionSchema, "output"),
        Error: jsonSchema(ErrorSchema, "output"),
      },
    },
  };
}
