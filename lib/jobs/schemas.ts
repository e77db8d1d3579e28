// Job schemas: one source for the API, server actions, forms and the OpenAPI document.
import { z } from "zod";
import { PageQuery } from "@/lib/http/pagination";
import { canonicalTimezone, cronError, isValidTimezone } from "./schedule";

export const MAX_PARAMS_BYTES = 64 * 1024;
export const OVERLAP_POLICIES = ["skip", "allow", "queue", "replace"] as const;
export const MISFIRE_POLICIES = ["run_once", "skip", "catch_up"] as const;
export const EXECUTION_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED"] as const;
export const EXECUTION_TRIGGERS = ["schedule", "manual", "retry", "backfill", "chain"] as const;

const Timezone = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(isValidTimezone, { message: "Unknown IANA timezone (e.g. Europe/Berlin, UTC)" })
  .transform(canonicalTimezone);

export const CronSchedule = z
  .strictObject({
    type: z.literal("cron"),
    expression: z.string().trim().min(1).max(200),
    timezone: Timezone.default("UTC"),
  })
  .superRefine((schedule, ctx) => {
    const problem = cronError(schedule.expression, isValidTimezone(schedule.timezone) ? schedule.timezone : "UTC");
    if (problem) ctx.addIssue({ code: "custom", path: ["expression"], message: `Invalid cron expression: ${problem}` });
  });

export const IntervalSchedule = z.strictObject({
  type: z.literal("interval"),
  everySeconds: z.number().int().min(1).max(31_536_000),
});

export const OnceSchedule = z.strictObject({
  type: z.literal("once"),
  at: z.iso.datetime({ offset: true, message: "Use an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z" }),
});

export const ManualSchedule = z.strictObject({ type: z.literal("manual") });

export const ScheduleInput = z.discriminatedUnion("type", [CronSchedule, IntervalSchedule, OnceSchedule, ManualSchedule]);
export type Schedule = z.output<typeof ScheduleInput>;

export const JobParams = z
  .record(z.string(), z.unknown())
  .refine((params) => new TextEncoder().encode(JSON.stringify(params)).length <= MAX_PARAMS_BYTES, { message: "params must be at most 64 KiB as JSON" });

const Version = z.number().int().min(1);

export const MAX_CHAIN = 10;

/** A chain list: other jobs' ids, each listed once (repeats are dropped, order kept). */
const ChainList = (when: string) =>
  z
    .array(z.uuid({ message: "Not a job id" }))
    .max(MAX_CHAIN, `At most ${MAX_CHAIN} jobs`)
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .describe(`Jobs that get one run (trigger "chain") when a run of this job ${when}; at most ${MAX_CHAIN}`);

/** The editable fields of a job. Defaults (JOB_DEFAULTS) are applied by the service, so PATCH can derive from this. */
export const JobInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(200),
  description: z.string().max(1000).nullable().optional(),
  type: z.string().trim().min(1).max(100),
  params: JobParams.optional(),
  schedule: ScheduleInput,
  enabled: z.boolean().optional(),
  overlapPolicy: z.enum(OVERLAP_POLICIES).optional(),
  misfirePolicy: z.enum(MISFIRE_POLICIES).optional(),
  timeoutSeconds: z.number().int().min(1).max(7 * 86_400).optional(),
  maxAttempts: z.number().int().min(1).max(25).optional(),
  retryBackoffSeconds: z.number().int().min(1).max(86_400).optional(),
  pauseAfterFailures: z.number().int().min(0).max(1000).optional(),
  onSuccess: ChainList("succeeds").optional(),
  onFailure: ChainList("fails with no attempts left").optional(),
  notes: z.string().max(1000).nullable().optional(),
});
export type JobInput = z.infer<typeof JobInput>;

export const JOB_DEFAULTS = {
  description: null,
  params: {},
  enabled: true,
  overlapPolicy: "skip",
  misfirePolicy: "run_once",
  timeoutSeconds: 3600,
  maxAttempts: 1,
  retryBackoffSeconds: 30,
  pauseAfterFailures: 0,
  onSuccess: [] as string[],
  onFailure: [] as string[],
  notes: null,
} as const satisfies Partial<JobInput>;

/** PUT body: every editable field (omitted optional ones return to their defaults), plus the expected version. */
export const JobReplace = JobInput.extend({ version: Version.optional() });
export type JobReplace = z.infer<typeof JobReplace>;

/** PATCH body: any subset of the editable fields, plus the expected version. */
export const JobPatch = JobInput.partial().extend({ version: Version.optional() });
export type JobPatch = z.infer<typeof JobPatch>;

/** Body of enable, disable and reset: optional expected version. */
export const VersionBody = z.strictObject({ version: Version.optional() });

const BooleanParam = z.enum(["true", "false"]).transform((value) => value === "true");

const filterFields = {
  query: z.string().trim().max(200).optional(),
  type: z.string().max(100).optional(),
  enabled: BooleanParam.optional(),
  health: z.enum(["active", "failed"]).optional(),
  lastStatus: z.enum(EXECUTION_STATUSES).optional(),
};

export const JobListQuery = PageQuery.extend(filterFields);
export type JobListQuery = z.infer<typeof JobListQuery>;

/** The filters of GET /api/jobs as a JSON object (`enabled` as a boolean, or "true"/"false" as in the URL). */
export const JobFilter = z.strictObject({ ...filterFields, enabled: z.union([z.boolean(), BooleanParam]).optional() });
export type JobFilter = z.infer<typeof JobFilter>;

export const MAX_BULK = 1000;
export const BULK_ACTIONS = ["enable", "disable", "run", "delete"] as const;

export const BulkBody = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.uuid()).min(1).max(MAX_BULK, `At most ${MAX_BULK} ids`).optional().describe(`The jobs, at most ${MAX_BULK}`),
    filter: JobFilter.optional().describe(`Every job the GET /api/jobs filters match, at most ${MAX_BULK}`),
  })
  .superRefine((body, ctx) => {
    if (body.ids && body.filter) ctx.addIssue({ code: "custom", path: ["filter"], message: "Send ids or filter, not both" });
    if (!body.ids && !body.filter) ctx.addIssue({ code: "custom", path: ["ids"], message: "Send ids or filter" });
  });
export type BulkBody = z.infer<typeof BulkBody>;

export const BulkResultSchema = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.object({
      id: z.uuid(),
      ok: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).optional().describe("Why this job failed, e.g. SYSTEM_MANAGED, NOT_FOUND"),
    }),
  ),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;

const Timestamp = z.string().describe("ISO-8601 in UTC");

export const JobSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  type: z.string(),
  params: z.record(z.string(), z.unknown()),
  schedule: z.discriminatedUnion("type", [
    z.object({ type: z.literal("cron"), expression: z.string(), timezone: z.string() }),
    IntervalSchedule,
    z.object({ type: z.literal("once"), at: Timestamp }),
    ManualSchedule,
  ]),
  enabled: z.boolean(),
  health: z.enum(["active", "failed"]),
  systemManaged: z.boolean(),
  overlapPolicy: z.enum(OVERLAP_POLICIES),
  misfirePolicy: z.enum(MISFIRE_POLICIES),
  timeoutSeconds: z.number().int(),
  maxAttempts: z.number().int(),
  retryBackoffSeconds: z.number().int(),
  pauseAfterFailures: z.number().int(),
  nextRunAt: Timestamp.nullable(),
  lastRunAt: Timestamp.nullable(),
  lastStatus: z.enum(EXECUTION_STATUSES).nullable(),
  consecutiveFailures: z.number().int(),
  pausedUntil: Timestamp.nullable().describe("Scheduled fires before this time are recorded SKIPPED (PAUSED); null when not paused"),
  onSuccess: z.array(z.uuid()).describe("Jobs that get one run when a run of this job succeeds"),
  onFailure: z.array(z.uuid()).describe("Jobs that get one run when a run of this job fails with no attempts left"),
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: z.string(),
});
export type JobDto = z.infer<typeof JobSchema>;
