// The endpoint table of the OpenAPI document: one row per method and path under app/api.
// tests/integration/openapi.test.ts compares it with the route files, so a new route fails the
// tests until it is listed here. Request schemas are the ones the handlers validate with; the
// answers that lib types only in TypeScript are derived here and checked against those types.
import { z } from "zod";
import { AuditEventSchema, AuditQuery } from "@/lib/audit/schemas";
import type { BusEvent, ExecutionSummary } from "@/lib/events/types";
import { EnqueueBody } from "@/lib/executions/enqueue";
import { COUNT_LIMIT, ExecutionListQuery, JobExecutionsQuery, type ExecutionPage } from "@/lib/executions/list";
import { LogQuery, type LogPage } from "@/lib/executions/logs";
import type { QueuedRun } from "@/lib/executions/queue-manual";
import { ExecutionSchema } from "@/lib/executions/schemas";
import { StatsSchema } from "@/lib/executions/stats";
import type { cleanupStalled } from "@/lib/engine/sweep";
import { DefinitionSchema } from "@/lib/handlers/registry";
import type { HealthReport } from "@/lib/health";
import type { JobDetailDto } from "@/lib/jobs/get";
import { RunJobBody } from "@/lib/jobs/run";
import type { httpTick } from "@/lib/engine/http-tick";
import { MAX_SECRET_BYTES, SecretPut, SecretSchema } from "@/lib/secrets/schemas";
import { CHANNEL_EVENTS, ChannelInput, ChannelPatch, ChannelSchema, CreatedChannelSchema, DeliveryQuery, DeliverySchema, TestResultSchema } from "@/lib/notifications/schemas";
import { BackfillBody, MAX_BACKFILL, type BackfillPreview, type BackfillResult } from "@/lib/jobs/backfill";
import { PauseBody } from "@/lib/jobs/pause";
import {
  BulkBody,
  BulkResultSchema,
  EXECUTION_STATUSES,
  JOB_DEFAULTS,
  JobInput,
  JobListQuery,
  JobPatch,
  JobReplace,
  JobSchema,
  MAX_BULK,
  VersionBody,
} from "@/lib/jobs/schemas";
import { MaintenanceInput, MaintenanceSchema } from "@/lib/maintenance/schemas";
import { pageSchema } from "./pagination";

export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface Answer {
  description: string;
  schema?: z.ZodType;
  /** application/json unless said otherwise. */
  contentType?: string;
  headers?: ("ETag" | "Location")[];
  /** Further content types of the same answer (chosen by a query parameter), each a string unless a schema is given. */
  alternatives?: { contentType: string; schema?: z.ZodType }[];
}

export interface Endpoint {
  method: Method;
  path: string;
  summary: string;
  /** Markdown, after the line that names the role. */
  description?: string;
  /** The least role; "public" needs no credentials; "cron" needs `Authorization: Bearer $CRON_SECRET`. */
  role: "viewer" | "operator" | "admin" | "public" | "cron";
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyOptional?: boolean;
  /** A change of a job: If-Match or body `version`, 409 CONFLICT when stale, 403 SYSTEM_MANAGED. */
  jobMutation?: boolean;
  /** May answer 429 RATE_LIMITED (with Retry-After). */
  rateLimited?: boolean;
  /** Further parameters, as OpenAPI parameter objects. */
  parameters?: Record<string, unknown>[];
  /** Server-Sent Events: the data schema of each event name (rendered as `x-events`). */
  events?: Record<string, z.ZodType>;
  responses: Record<number, Answer>;
}

// ---- Answers that lib types only in TypeScript -------------------------------------------------

export const JobDetailSchema = JobSchema.extend({
  recentExecutions: z.array(ExecutionSchema).describe("The newest 20 executions"),
  audit: z.array(AuditEventSchema).describe("The newest 20 audit events of the job"),
});

export const ExecutionPageSchema = pageSchema(ExecutionSchema).extend({
  totalCapped: z.boolean().describe(`True when more than ${COUNT_LIMIT} executions match; \`total\` is then ${COUNT_LIMIT}`),
});

export const AlreadyRunningWarning = z.object({
  code: z.literal("ALREADY_RUNNING"),
  message: z.string(),
  activeExecutionIds: z.array(z.string()).describe("Other QUEUED or RUNNING executions of the job (or handler type), at most 20"),
});

export const QueuedRunSchema = z.object({ execution: ExecutionSchema, warning: AlreadyRunningWarning.optional() });

export const BackfillPreviewSchema = z.object({
  fireTimes: z.array(z.string()).describe("The fire times in [from, to), oldest first"),
  count: z.number().int().describe("How many fire times"),
  existing: z.array(z.string()).describe("The fire times that already have an execution of the job; a backfill skips them"),
});

export const CleanupStalledSchema = z.object({
  cleaned: z.array(z.object({ id: z.string(), jobName: z.string(), status: z.enum(EXECUTION_STATUSES) })),
});

export const TickSchema = z.object({
  ticks: z.number().int().describe("Ticks made, one a second for the budget"),
  queued: z.number().int().describe("Executions the ticks queued"),
  skipped: z.number().int().describe("Fires recorded as SKIPPED (overlap or misfire)"),
  started: z.number().int().describe("Runs this request started"),
  finished: z.number().int().describe("Outcomes this request recorded"),
  requeued: z.number().int().describe("Runs still going when the budget ended: requeued, or failed BUDGET_EXCEEDED when cut off a second time after running at least half a budget"),
  stalled: z.number().int().describe("Stalled executions the sweep ended"),
  at: z.string().describe("When the request finished"),
});

export const HealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["ok", "unreachable"]),
  scheduler: z.object({ lastTickAt: z.string().nullable().describe("The newest tick of any scheduler instance") }),
});

const OpenApiSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const ExecutionSummarySchema = ExecutionSchema.pick({
  id: true,
  jobId: true,
  jobName: true,
  type: true,
  status: true,
  cancelRequested: true,
  trigger: true,
  triggeredBy: true,
  attempt: true,
  scheduledFor: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  progress: true,
  error: true,
  workerId: true,
}).describe("The execution fields a live view needs; the full record is at GET /api/executions/{id}");

export const BackfillResultSchema = z.object({
  count: z.number().int().describe("Runs queued"),
  executions: z.array(ExecutionSummarySchema).describe("The queued runs (as in live events), oldest fire time first"),
  skipped: z.number().int().describe("Fire times skipped because they already had an execution of the job"),
});

const ProgressEventSchema = ExecutionSchema.pick({ id: true, jobId: true }).extend({
  percent: z.number().int(),
  message: z.string().nullable(),
});

const JobEventSchema = z.object({ id: z.string(), version: z.number().int() });

const LogLineSchema = z.object({
  seq: z.number().int().describe("From 1, in the order written"),
  at: z.string(),
  level: z.enum(["info", "warn", "error", "stdout", "stderr"]),
  message: z.string(),
});

export const LogPageSchema = z.object({
  items: z.array(LogLineSchema),
  next: z.number().int().nullable().describe("Ask again with `after` set to this for the next page; null when this page reached the end of what is written so far"),
  truncated: z.boolean().describe("The log reached its cap (10,000 lines or 2 MiB); its last line says so"),
});

const LogEventSchema = z.object({ id: z.string(), jobId: z.string().nullable(), lines: z.array(LogLineSchema).describe("Batched; a message longer than 500 characters is shortened here (the API has it whole)") });

export const SnapshotSchema = z.object({
  items: z.array(ExecutionSummarySchema).describe("QUEUED and RUNNING executions, oldest first, at most 1,000"),
  truncated: z.boolean().describe("True when more than 1,000 executions are active"),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
/** The data of event N; one bus variant may carry several names, so Extract on the name would miss it. */
type EventData<N extends BusEvent["name"]> = BusEvent extends infer E ? (E extends { name: infer M; data: infer D } ? (N extends M ? D : never) : never) : never;

/** Fails to compile when a schema above drifts from the type the service really returns. */
export type SchemasMatchServices = [
  Expect<Same<z.output<typeof JobDetailSchema>, JobDetailDto>>,
  Expect<Same<z.output<typeof ExecutionPageSchema>, ExecutionPage>>,
  Expect<Same<z.output<typeof AlreadyRunningWarning>, NonNullable<QueuedRun["warning"]>>>,
  Expect<Same<z.output<typeof BackfillPreviewSchema>, BackfillPreview>>,
  Expect<Same<z.output<typeof BackfillResultSchema>, BackfillResult>>,
  Expect<Same<z.output<typeof CleanupStalledSchema>, Awaited<ReturnType<typeof cleanupStalled>>>>,
  Expect<Same<z.output<typeof TickSchema>, Awaited<ReturnType<typeof httpTick>>>>,
  Expect<Same<z.output<typeof HealthSchema>, HealthReport>>,
  Expect<Same<z.output<typeof LogPageSchema>, LogPage>>,
  Expect<Same<z.output<typeof LogEventSchema>, EventData<"execution.log">>>,
  Expect<Same<z.output<typeof ExecutionSummarySchema>, ExecutionSummary>>,
  Expect<Same<z.output<typeof ProgressEventSchema>, EventData<"execution.progress">>>,
  Expect<Same<z.output<typeof JobEventSchema>, EventData<"job.changed">>>,
  Expect<Same<z.output<typeof JobEventSchema>, EventData<"job.deleted">>>,
  Expect<Same<z.output<typeof ExecutionSummarySchema>, EventData<"execution.finished">>>,
];

// ---- Descriptions too long for the table ---------------------------------------------------------

const RUN_DESCRIPTION = `Queues a manual execution now (\`trigger: "manual"\`). Optional \`params\` are merged over the job's own params for this run only and the result is validated by the handler's schema (400 with \`field: "params"\`). Works on disabled and system-managed jobs and never moves \`nextRunAt\`. When other executions of the job are QUEUED or RUNNING, the run is still queued and the answer carries \`warning.code: "ALREADY_RUNNING"\`. \`Location\` names the new execution.`;

const EVENTS_DESCRIPTION = `Server-Sent Events (\`text/event-stream\`). Every event has an \`id\`, an \`event\` name and JSON \`data\`; \`x-events\` gives the data schema of each name.

- The stream opens with \`retry: 2000\`, then \`snapshot\`: \`{ items }\`, the QUEUED and RUNNING executions, so a client needs no separate fetch.
- Then live events of every instance: \`execution.queued\`, \`execution.started\`, \`execution.progress\` (at most 10 per second per execution), \`execution.finished\`, \`execution.cancel_requested\`, \`job.changed\`, \`job.deleted\`.
- Ids are numbers that increase per server. A comment line (\`: keep-alive …\`) is sent every 15 s.
- Reconnecting with \`Last-Event-ID\` (or \`?lastEventId=\`) gives a new snapshot plus the missed \`execution.finished\`, \`job.changed\` and \`job.deleted\` events that this server still holds (its newest 5,000 events), never an event already received; the snapshot covers the rest. Ids are per server, so a client that lands on another instance gets the snapshot only.
- At most 10 streams per user or token are open at once on an instance; the next answers 429 \`RATE_LIMITED\` with \`Retry-After\`. A stream ends within seconds when its token is revoked, its user disabled or its role lost; a client that stops reading is dropped once 2 MiB wait for it.`;

const CANCEL_DESCRIPTION = `A QUEUED execution becomes CANCELLED at once (200). A RUNNING one is asked to stop (202, \`cancelRequested: true\`): its handler's signal aborts, and it becomes CANCELLED when the handler returns or after the cancel grace period. Repeating the call is harmless and gives the same answer; an execution that finished otherwise (SUCCEEDED, FAILED, SKIPPED) answers 409 INVALID_STATE.`;

const BULK_DESCRIPTION = `Applies one action to many jobs: \`ids\` (at most ${MAX_BULK}) or \`filter\` (the filters of GET /api/jobs as an object, matching at most ${MAX_BULK} jobs), exactly one of them. Each job goes through the single action in a transaction of its own, with its rules and its audit event (one per job changed): enable and disable are idempotent, run works on disabled and system-managed jobs, and enable, disable and delete of a system-managed job fail that item with \`SYSTEM_MANAGED\`. The answer is 200 whatever failed; each result says \`ok\` or gives the item's \`error\` (\`SYSTEM_MANAGED\`, \`NOT_FOUND\`, …). 400 names the field: \`ids\` (none, or over ${MAX_BULK}), \`filter\` (both sent, or it matches over ${MAX_BULK} jobs), \`action\` (unknown).`;

const BACKFILL_DESCRIPTION = `Queues one run (\`trigger: "backfill"\`, \`scheduledFor\` the fire time) for each fire time of the job's cron or interval schedule in \`[from, to)\`, at most ${MAX_BACKFILL}; fire times that already have an execution of the job are skipped. The worker runs a job's backfill runs one at a time, oldest first. With \`dryRun: true\` nothing is queued and the answer (200) lists the fire times. 400 names the field: \`to\` (not after \`from\`, in the future, or over ${MAX_BACKFILL} fire times), \`schedule\` (a manual or one-off job). Audited as \`job.backfill\`.`;

const PAUSE_DESCRIPTION = "Until `until` (in the future; 400 `field: \"until\"` otherwise) each scheduled fire of the job is recorded as a SKIPPED execution with `error.code: \"PAUSED\"` (the fire times one tick handles share one row); run now, retries, backfills and chains still run. Pausing again replaces the time. Audited as `job.pause`.";

const MAINTENANCE_DESCRIPTION = "Until `until` (in the future) every scheduled fire of every job is recorded as a SKIPPED execution with `error.code: \"MAINTENANCE\"`; run now, retries, backfills and chains still run. The console shows a banner with the reason and the end. Setting it again replaces the window. Audited as `maintenance.set`.";

const defaults = Object.entries(JOB_DEFAULTS).map(([field, value]) => `\`${field}\`: \`${JSON.stringify(value)}\``);
const PUT_DESCRIPTION = `Replaces every editable field: \`name\`, \`type\` and \`schedule\` are required, and omitted optional fields return to their defaults (${defaults.join(", ")}), so a PUT without \`enabled\` enables the job. A PUT that changes nothing keeps the version and writes no audit event.`;

const SECRETS_DESCRIPTION = `Secrets are used in any string of a job's \`params\` as \`{{secrets.NAME}}\` and resolved only inside the worker when a run starts; no answer, event, log line or audit event contains a value. Values are encrypted at rest (AES-256-GCM).`;

const PUT_SECRET_DESCRIPTION = `${SECRETS_DESCRIPTION} Creates the secret or replaces its value (1 byte to ${MAX_SECRET_BYTES / 1024} KiB). The name is \`^[A-Z][A-Z0-9_]{0,63}$\` (400 with \`field: "name"\` otherwise). Audited as \`secret.set\`, without the value.`;

const CHANNELS_DESCRIPTION = `A channel is told about the events it lists (${CHANNEL_EVENTS.map((event) => `\`${event}\``).join(", ")}) of every job (\`jobIds: null\`) or of the listed jobs. Deliveries are written in the same transaction as their event and sent by the notifier with up to 5 attempts (backoff 10 s, 30 s, 90 s, 270 s); repeated identical events (same channel, event, job and error code) are sent at most once a minute, and the next delivery carries the count in \`suppressed\`. See docs/api.md#notifications for the webhook body and its signature.`;

const POST_CHANNEL_DESCRIPTION = `${CHANNELS_DESCRIPTION}

\`target\` is an http(s) URL for \`webhook\` and \`slack\` (refused with 400 on \`target\` when the outbound HTTP policy refuses its address) or an email address for \`email\` (400 on \`kind\` while \`SMTP_URL\` is not set). Unknown \`jobIds\` answer 400 naming each (\`jobIds.<index>\`). The answer carries \`secret\`, which signs webhook deliveries: it is shown in this answer only. Audited as \`channel.create\`.`;

// ---- The table ---------------------------------------------------------------------------------

const job = (description: string): Answer => ({ description, schema: JobSchema, headers: ["ETag"] });
const queued: Answer = { description: "Queued", schema: QueuedRunSchema, headers: ["Location"] };

export const ENDPOINTS: Endpoint[] = [
  // Jobs
  { method: "get", path: "/api/jobs", summary: "List jobs", description: "Ordered by name. `query` matches part of the name, ignoring case.", role: "viewer", query: JobListQuery, responses: { 200: { description: "A page of jobs", schema: pageSchema(JobSchema) } } },
  { method: "post", path: "/api/jobs", summary: "Create a job", role: "operator", body: JobInput, responses: { 201: { description: "Created", schema: JobSchema, headers: ["Location", "ETag"] }, 409: { description: "CONFLICT: a job with this name exists (ignoring case)" } } },
  { method: "get", path: "/api/jobs/{id}", summary: "A job with its newest executions and audit events", role: "viewer", responses: { 200: { description: "The job", schema: JobDetailSchema, headers: ["ETag"] } } },
  { method: "put", path: "/api/jobs/{id}", summary: "Replace a job's editable fields", description: PUT_DESCRIPTION, role: "operator", body: JobReplace, jobMutation: true, responses: { 200: job("Updated"), 409: { description: "CONFLICT: stale version (the current job is in `error.details`) or duplicate name" } } },
  { method: "patch", path: "/api/jobs/{id}", summary: "Change some of a job's fields", description: "Fields left out keep their values. A change that changes nothing keeps the version and writes no audit event.", role: "operator", body: JobPatch, jobMutation: true, responses: { 200: job("Updated"), 409: { description: "CONFLICT: stale version (the current job is in `error.details`) or duplicate name" } } },
  { method: "delete", path: "/api/jobs/{id}", summary: "Soft-delete a job", description: "The job is gone from reads; its executions and audit events stay.", role: "operator", body: VersionBody, bodyOptional: true, jobMutation: true, responses: { 204: { description: "Deleted" } } },
  { method: "post", path: "/api/jobs/{id}/enable", summary: "Enable a job", description: "Idempotent: enabling an enabled job changes nothing (same version, no audit event).", role: "operator", body: VersionBody, bodyOptional: true, jobMutation: true, responses: { 200: job("The job") } },
  { method: "post", path: "/api/jobs/{id}/disable", summary: "Disable a job", description: "Idempotent: disabling a disabled job changes nothing (same version, no audit event).", role: "operator", body: VersionBody, bodyOptional: true, jobMutation: true, responses: { 200: job("The job") } },
  { method: "post", path: "/api/jobs/{id}/reset", summary: "Reset a failed job to active", description: "Clears `consecutiveFailures` and schedules the job again.", role: "operator", body: VersionBody, bodyOptional: true, jobMutation: true, responses: { 200: job("The job"), 409: { description: "CONFLICT: stale version; INVALID_STATE: the job is not failed" } } },
  { method: "post", path: "/api/jobs/bulk", summary: "Enable, disable, run or delete many jobs", description: BULK_DESCRIPTION, role: "operator", body: BulkBody, responses: { 200: { description: "A result per job", schema: BulkResultSchema } } },
  { method: "post", path: "/api/jobs/{id}/backfill", summary: "Run a job for the fire times of a past range", description: BACKFILL_DESCRIPTION, role: "operator", body: BackfillBody, responses: { 200: { description: "Dry run: the fire times", schema: BackfillPreviewSchema }, 202: { description: "Queued", schema: BackfillResultSchema }, 403: { description: "FORBIDDEN: the role is too low, or a cookie-authenticated change came from another origin; SYSTEM_MANAGED: the job is managed by Tickwork itself" } } },
  { method: "post", path: "/api/jobs/{id}/pause", summary: "Pause a job until a time", description: PAUSE_DESCRIPTION, role: "operator", body: PauseBody, jobMutation: true, responses: { 200: job("The job, with `pausedUntil`") } },
  { method: "post", path: "/api/jobs/{id}/resume", summary: "Resume a paused job", description: "Ends the pause now. Idempotent: resuming a job that is not paused changes nothing (same version, no audit event). Audited as `job.resume`.", role: "operator", body: VersionBody, bodyOptional: true, jobMutation: true, responses: { 200: job("The job") } },
  { method: "post", path: "/api/jobs/{id}/run", summary: "Run a job now", description: RUN_DESCRIPTION, role: "operator", body: RunJobBody, bodyOptional: true, responses: { 202: queued } },
  { method: "post", path: "/api/jobs/{id}/run-now", summary: "Run a job now (alias of /run)", description: RUN_DESCRIPTION, role: "operator", body: RunJobBody, bodyOptional: true, responses: { 202: queued } },
  { method: "get", path: "/api/jobs/{id}/executions", summary: "A job's executions, newest first", role: "viewer", query: JobExecutionsQuery, responses: { 200: { description: "A page of executions", schema: ExecutionPageSchema } } },
  { method: "get", path: "/api/jobs/{id}/executions/{executionId}", summary: "One execution of a job", description: "404 when the execution belongs to another job.", role: "viewer", responses: { 200: { description: "The execution", schema: ExecutionSchema } } },

  // Executions
  { method: "get", path: "/api/executions", summary: "Execution history, newest first", description: "`from` and `to` bound `queuedAt` (from inclusive, to exclusive).", role: "viewer", query: ExecutionListQuery, responses: { 200: { description: "A page of executions", schema: ExecutionPageSchema } } },
  { method: "get", path: "/api/executions/active", summary: "QUEUED and RUNNING executions", description: "Oldest `scheduledFor` first, at most 1,000 (`truncated` is true when there are more). Includes retries waiting for their time.", role: "viewer", responses: { 200: { description: "Active executions", schema: z.object({ items: z.array(ExecutionSchema), truncated: z.boolean() }) } } },
  { method: "get", path: "/api/executions/{id}", summary: "One execution", role: "viewer", responses: { 200: { description: "The execution", schema: ExecutionSchema } } },
  {
    method: "get",
    path: "/api/executions/{id}/logs",
    summary: "The run's log",
    description:
      "What the handler logged and a command printed, `seq` from 1. Pages of up to `limit` lines after `after`: follow a running execution by asking again after the last `seq` you have (or listen to `execution.log` events). `format=text` answers the whole log as a `text/plain` download, a line each: `<at> <level> <message>`.",
    role: "viewer",
    query: LogQuery,
    responses: {
      200: {
        description: "A page of lines (JSON), or the whole log (text/plain with format=text)",
        schema: LogPageSchema,
        alternatives: [{ contentType: "text/plain; charset=utf-8" }],
      },
    },
  },
  { method: "post", path: "/api/executions/{id}/cancel", summary: "Cancel an execution", description: CANCEL_DESCRIPTION, role: "operator", responses: { 200: { description: "CANCELLED (it was queued, or was already cancelled)", schema: ExecutionSchema }, 202: { description: "RUNNING with `cancelRequested: true`; it stops soon", schema: ExecutionSchema }, 409: { description: "INVALID_STATE: the execution already finished" } } },
  { method: "post", path: "/api/executions/cleanup-stalled", summary: "Recover stalled executions now", description: "Runs the stalled sweep at once: RUNNING executions without a heartbeat for `TICKWORK_STALL_SECONDS` fail with `STALLED` (retried if attempts remain), or become CANCELLED when a cancel was asked for. Audited as `executions.cleanup_stalled`.", role: "admin", responses: { 200: { description: "What was cleaned up", schema: CleanupStalledSchema } } },
  { method: "post", path: "/api/enqueue", summary: "Run a handler ad hoc, without a job", description: "`params` are validated by the handler's schema. The execution has `jobId: null`, `jobVersion: null` and `jobName` set to the type. The warning names other active ad-hoc runs of the same type.", role: "operator", body: EnqueueBody, responses: { 202: queued } },
  { method: "get", path: "/api/stats", summary: "Counts, success rate and durations", role: "viewer", responses: { 200: { description: "Statistics", schema: StatsSchema } } },
  {
    method: "get",
    path: "/api/events",
    summary: "Live events (Server-Sent Events)",
    description: EVENTS_DESCRIPTION,
    role: "viewer",
    rateLimited: true,
    parameters: [
      { name: "Last-Event-ID", in: "header", required: false, description: "The id of the last event received, to get what was missed", schema: { type: "string", pattern: "^\\d+$" } },
      { name: "lastEventId", in: "query", required: false, description: "The same, for clients that cannot set headers (the header wins)", schema: { type: "string", pattern: "^\\d+$" } },
    ],
    events: {
      snapshot: SnapshotSchema,
      "execution.queued": ExecutionSummarySchema,
      "execution.started": ExecutionSummarySchema,
      "execution.progress": ProgressEventSchema,
      "execution.finished": ExecutionSummarySchema,
      "execution.cancel_requested": ExecutionSummarySchema,
      "execution.log": LogEventSchema,
      "job.changed": JobEventSchema,
      "job.deleted": JobEventSchema,
    },
    responses: { 200: { description: "An endless event stream", contentType: "text/event-stream" } },
  },

  // Secrets
  { method: "get", path: "/api/secrets", summary: "Secrets, by name (never a value)", description: SECRETS_DESCRIPTION, role: "admin", responses: { 200: { description: "Every secret", schema: z.object({ items: z.array(SecretSchema) }) } } },
  { method: "put", path: "/api/secrets/{name}", summary: "Create or replace a secret", description: PUT_SECRET_DESCRIPTION, role: "admin", body: SecretPut, responses: { 200: { description: "The secret, without its value", schema: SecretSchema } } },
  { method: "delete", path: "/api/secrets/{name}", summary: "Delete a secret", description: "Refused while a live job uses it. Audited as `secret.delete`.", role: "admin", responses: { 204: { description: "Deleted" }, 409: { description: "CONFLICT: live jobs use it; `error.details` lists them as `{ jobId, jobName }`" } } },

  // Notifications
  { method: "get", path: "/api/channels", summary: "Notification channels", description: CHANNELS_DESCRIPTION, role: "operator", responses: { 200: { description: "Every channel, by name", schema: z.object({ items: z.array(ChannelSchema) }) } } },
  { method: "post", path: "/api/channels", summary: "Create a notification channel", description: POST_CHANNEL_DESCRIPTION, role: "admin", body: ChannelInput, responses: { 201: { description: "Created, with its secret (shown once)", schema: CreatedChannelSchema, headers: ["Location"] } } },
  { method: "get", path: "/api/channels/{id}", summary: "One notification channel", role: "operator", responses: { 200: { description: "The channel", schema: ChannelSchema } } },
  { method: "patch", path: "/api/channels/{id}", summary: "Change a notification channel", description: "Fields left out keep their values; `jobIds: null` watches every job. The target is checked against the resulting kind as at creation. Audited as `channel.update` (a change that changes nothing writes no event).", role: "admin", body: ChannelPatch, responses: { 200: { description: "The channel", schema: ChannelSchema } } },
  { method: "delete", path: "/api/channels/{id}", summary: "Delete a notification channel", description: "Its delivery log goes with it; pending deliveries are not sent. Audited as `channel.delete`.", role: "admin", responses: { 204: { description: "Deleted" } } },
  { method: "post", path: "/api/channels/{id}/test", summary: "Send a test notification now", description: "Sends `{ event: \"test\", … }` at once (not through the outbox) and answers 200 whether it worked or not: `ok`, the endpoint's `status`, or the connection `error`. The attempt is recorded in the delivery log.", role: "admin", responses: { 200: { description: "What the endpoint said", schema: TestResultSchema } } },
  { method: "get", path: "/api/channels/{id}/deliveries", summary: "A channel's deliveries, newest first", role: "operator", query: DeliveryQuery, responses: { 200: { description: "A page of deliveries", schema: pageSchema(DeliverySchema) } } },
  { method: "post", path: "/api/channels/{id}/deliveries/{deliveryId}/retry", summary: "Retry a failed delivery", description: "The delivery goes back to pending with 5 new attempts. 409 INVALID_STATE unless it failed (tests are not retried).", role: "admin", responses: { 200: { description: "The delivery, pending", schema: DeliverySchema }, 409: { description: "INVALID_STATE: the delivery has not failed" } } },
  // The scheduler
  { method: "get", path: "/api/maintenance", summary: "The maintenance window in force", description: "`null` when there is none (or it has ended).", role: "viewer", responses: { 200: { description: "The window, or null", schema: MaintenanceSchema.nullable() } } },
  { method: "put", path: "/api/maintenance", summary: "Start or change the maintenance window", description: MAINTENANCE_DESCRIPTION, role: "admin", body: MaintenanceInput, responses: { 200: { description: "The window", schema: MaintenanceSchema } } },
  { method: "delete", path: "/api/maintenance", summary: "End the maintenance window now", description: "Idempotent: with no window in force nothing changes. Audited as `maintenance.clear`.", role: "admin", responses: { 204: { description: "Ended" } } },

  // Audit and the API itself
  { method: "get", path: "/api/audit", summary: "Audit events, newest first", role: "operator", query: AuditQuery, responses: { 200: { description: "A page of audit events", schema: pageSchema(AuditEventSchema) } } },
  { method: "get", path: "/api/definitions", summary: "Handler types with the JSON Schema of their params", role: "viewer", responses: { 200: { description: "Definitions", schema: z.object({ items: z.array(DefinitionSchema) }) } } },
  { method: "get", path: "/api/health", summary: "Health of the app, the database and the scheduler", role: "public", responses: { 200: { description: "Healthy", schema: HealthSchema }, 503: { description: "The database is unreachable", schema: HealthSchema } } },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    description: "Serialized once per process and served with a strong `ETag` (it changes only with the code) and `Cache-Control: public, max-age=0, must-revalidate`; send the tag back as `If-None-Match` to get a 304 without the body.",
    role: "public",
    parameters: [{ name: "If-None-Match", in: "header", required: false, description: "An ETag this endpoint sent; when it is the current one the answer is 304", schema: { type: "string" } }],
    responses: { 200: { description: "OpenAPI 3.1", schema: OpenApiSchema }, 304: { description: "Not modified: the document is the one If-None-Match names" } },
  },
  {
    method: "get",
    path: "/api/metrics",
    summary: "Prometheus metrics",
    description:
      "The Prometheus text format, every name prefixed `tickwork_`. Also allowed with `Authorization: Bearer $METRICS_TOKEN` (a token that reads nothing else). Counters and histograms are this instance's; `tickwork_executions_queued`, `tickwork_executions_running` and `tickwork_notification_deliveries` are read from the database and are the same on every instance. See docs/operations.md#metrics.",
    role: "viewer",
    responses: { 200: { description: "The metrics", contentType: "text/plain; version=0.0.4" } },
  },
  ...(["get", "post"] as const).map((method) => ({
    method,
    path: "/api/cron/tick",
    summary: "Drive the engine for one time budget",
    description:
      "For hosts without a long-lived process (Vercel Cron calls GET every minute; any external cron may call GET or POST). For `TICKWORK_HTTP_TICK_SECONDS` (default 50) the request ticks every second, claims, runs and completes due executions and sweeps stalled ones, then requeues what has not finished; a run cut off by a second budget after running at least half of one fails with `BUDGET_EXCEEDED`. Overlapping calls never run an execution twice. Answers 403 FORBIDDEN while `CRON_SECRET` is not set and 401 UNAUTHENTICATED when the bearer token is not the secret.",
    role: "cron" as const,
    responses: { 200: { description: "What the request did", schema: TickSchema } },
  })),
];
