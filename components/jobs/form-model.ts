// The job form's draft (what the inputs hold, as text) and its translation to the API's JobInput
// and to the PATCH of what changed.
import { JOB_DEFAULTS, MISFIRE_POLICIES, OVERLAP_POLICIES, type JobDto, type JobInput, type Schedule } from "@/lib/jobs/schemas";
import { parseJson } from "@/components/ui/json-text";
import { toLocalInput } from "@/components/ui/time-format";
import type { FieldErrors, FieldKey } from "./field-errors";

export type ScheduleType = Schedule["type"];
export const INTERVAL_UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
export type IntervalUnit = keyof typeof INTERVAL_UNITS;

export interface JobDraft {
  name: string;
  description: string;
  type: string;
  paramsText: string;
  scheduleType: ScheduleType;
  cronExpression: string;
  timezone: string;
  intervalValue: string;
  intervalUnit: IntervalUnit;
  /** A datetime-local value, in the browser's time zone. */
  onceAt: string;
  enabled: boolean;
  overlapPolicy: (typeof OVERLAP_POLICIES)[number];
  misfirePolicy: (typeof MISFIRE_POLICIES)[number];
  timeoutSeconds: string;
  maxAttempts: string;
  retryBackoffSeconds: string;
  pauseAfterFailures: string;
  /** Job ids, in the order picked. */
  onSuccess: string[];
  onFailure: string[];
  notes: string;
}

export const formatParams = (params: unknown) => JSON.stringify(params ?? {}, null, 2);

export function newDraft(type: string, defaultParams: unknown, timezone: string): JobDraft {
  return {
    name: "",
    description: "",
    type,
    paramsText: formatParams(defaultParams),
    scheduleType: "cron",
    cronExpression: "0 * * * *",
    timezone,
    intervalValue: "15",
    intervalUnit: "minutes",
    onceAt: toLocalInput(new Date(Date.now() + 3_600_000).toISOString()),
    enabled: true,
    overlapPolicy: JOB_DEFAULTS.overlapPolicy,
    misfirePolicy: JOB_DEFAULTS.misfirePolicy,
    timeoutSeconds: String(JOB_DEFAULTS.timeoutSeconds),
    maxAttempts: String(JOB_DEFAULTS.maxAttempts),
    retryBackoffSeconds: String(JOB_DEFAULTS.retryBackoffSeconds),
    pauseAfterFailures: String(JOB_DEFAULTS.pauseAfterFailures),
    onSuccess: [],
    onFailure: [],
    notes: "",
  };
}

export function draftFromJob(job: JobDto, fallbackTimezone: string): JobDraft {
  const schedule = job.schedule;
  const interval = schedule.type === "interval" ? largestUnit(schedule.everySeconds) : { value: 15, unit: "minutes" as const };
  return {
    name: job.name,
    description: job.description ?? "",
    type: job.type,
    paramsText: formatParams(job.params),
    scheduleType: schedule.type,
    cronExpression: schedule.type === "cron" ? schedule.expression : "0 * * * *",
    timezone: schedule.type === "cron" ? schedule.timezone : fallbackTimezone,
    intervalValue: String(interval.value),
    intervalUnit: interval.unit,
    onceAt: schedule.type === "once" ? toLocalInput(schedule.at) : toLocalInput(new Date(Date.now() + 3_600_000).toISOString()),
    enabled: job.enabled,
    overlapPolicy: job.overlapPolicy,
    misfirePolicy: job.misfirePolicy,
    timeoutSeconds: String(job.timeoutSeconds),
    maxAttempts: String(job.maxAttempts),
    retryBackoffSeconds: String(job.retryBackoffSeconds),
    pauseAfterFailures: String(job.pauseAfterFailures),
    onSuccess: job.onSuccess,
    onFailure: job.onFailure,
    notes: job.notes ?? "",
  };
}

function largestUnit(seconds: number): { value: number; unit: IntervalUnit } {
  for (const unit of ["days", "hours", "minutes"] as const) {
    if (seconds % INTERVAL_UNITS[unit] === 0) return { value: seconds / INTERVAL_UNITS[unit], unit };
  }
  return { value: seconds, unit: "seconds" };
}

/** The schedule a draft describes, or an error for the field that keeps it from being one. */
export function scheduleFromDraft(draft: JobDraft): { schedule: Schedule } | { field: FieldKey; message: string } {
  switch (draft.scheduleType) {
    case "cron":
      return { schedule: { type: "cron", expression: draft.cronExpression.trim(), timezone: draft.timezone } };
    case "interval": {
      const value = Number(draft.intervalValue);
      if (draft.intervalValue.trim() === "" || !Number.isFinite(value) || value <= 0) {
        return { field: "schedule.everySeconds", message: "Enter how often, as a number greater than 0" };
      }
      return { schedule: { type: "interval", everySeconds: Math.round(value * INTERVAL_UNITS[draft.intervalUnit]) } };
    }
    case "once": {
      const at = new Date(draft.onceAt);
      if (!draft.onceAt || Number.isNaN(at.getTime())) return { field: "schedule.at", message: "Pick a date and time" };
      return { schedule: { type: "once", at: at.toISOString() } };
    }
    case "manual":
      return { schedule: { type: "manual" } };
  }
}

type BuiltInput = { ok: true; input: Required<JobInput> } | { ok: false; errors: FieldErrors };

/**
 * The JobInput a draft stands for. Only what the browser must decide is checked here (JSON syntax,
 * numbers); everything else is left to the server, which owns validation and says which field is wrong.
 */
export function inputFromDraft(draft: JobDraft): BuiltInput {
  const errors: FieldErrors = {};
  const params = parseParamsText(draft.paramsText);
  if ("error" in params) errors.params = [params.error];
  const schedule = scheduleFromDraft(draft);
  if ("field" in schedule) errors[schedule.field] = [schedule.message];
  const numbers = {
    timeoutSeconds: wholeNumber(draft.timeoutSeconds),
    maxAttempts: wholeNumber(draft.maxAttempts),
    retryBackoffSeconds: wholeNumber(draft.retryBackoffSeconds),
    pauseAfterFailures: wholeNumber(draft.pauseAfterFailures),
  };
  for (const [key, value] of Object.entries(numbers)) {
    if (value === null) errors[key as FieldKey] = ["Enter a whole number"];
  }
  if (Object.keys(errors).length > 0 || "error" in params || "field" in schedule) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: draft.name,
      description: draft.description.trim() === "" ? null : draft.description,
      type: draft.type,
      params: params.value,
      schedule: schedule.schedule,
      enabled: draft.enabled,
      overlapPolicy: draft.overlapPolicy,
      misfirePolicy: draft.misfirePolicy,
      timeoutSeconds: numbers.timeoutSeconds!,
      maxAttempts: numbers.maxAttempts!,
      retryBackoffSeconds: numbers.retryBackoffSeconds!,
      pauseAfterFailures: numbers.pauseAfterFailures!,
      onSuccess: draft.onSuccess,
      onFailure: draft.onFailure,
      notes: draft.notes.trim() === "" ? null : draft.notes,
    },
  };
}

function wholeNumber(text: string): number | null {
  if (!/^\s*-?\d+\s*$/.test(text)) return null;
  return Number(text);
}

export function parseParamsText(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === "") return { value: {} };
  const parsed = parseJson(text);
  if (!parsed.ok) return { error: `Not valid JSON: ${parsed.error.message}` };
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { error: "Params must be a JSON object, e.g. {\"url\": \"https://…\"}" };
  return { value: value as Record<string, unknown> };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `input` that differ from the job as it was loaded: the PATCH body. */
export function changedFields(job: JobDto, input: Required<JobInput>): Partial<JobInput> {
  const changes: Partial<Record<keyof JobInput, unknown>> = {};
  for (const key of Object.keys(input) as (keyof JobInput)[]) {
    const before = key === "schedule" ? comparableSchedule(job.schedule) : job[key];
    const after = key === "schedule" ? comparableSchedule(input.schedule) : input[key];
    if (!sameValue(before ?? null, after ?? null)) changes[key] = input[key];
  }
  return changes as Partial<JobInput>;
}

/** Instants compare as instants: "…T09:00:00Z" and "…T09:00:00.000Z" are one time. */
function comparableSchedule(schedule: JobDto["schedule"]): unknown {
  return schedule.type === "once" ? { type: "once", at: new Date(schedule.at).getTime() } : schedule;
}
