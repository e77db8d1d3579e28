// Server errors placed on the job form's fields: `details` paths such as "params.url" or
// "schedule.expression" name the field; whatever fits no field goes to the summary at the top.
import type { ActionError } from "@/lib/actions/action";

/** Form fields that errors can be shown on; "form" is the summary at the top. */
export const FIELD_KEYS = [
  "name",
  "description",
  "type",
  "params",
  "schedule",
  "schedule.expression",
  "schedule.timezone",
  "schedule.everySeconds",
  "schedule.at",
  "enabled",
  "overlapPolicy",
  "misfirePolicy",
  "timeoutSeconds",
  "maxAttempts",
  "retryBackoffSeconds",
  "pauseAfterFailures",
  "notes",
  "form",
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];
export type FieldErrors = Partial<Record<FieldKey, string[]>>;

const PARAMS_PREFIX = "params.";

/** Places a server error's details on the fields they name; what fits no field goes to the summary. */
export function fieldErrorsFrom(error: ActionError): FieldErrors {
  const errors: FieldErrors = {};
  const add = (key: FieldKey, message: string) => {
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  const details = (error.details ?? []).filter(isDetail);
  for (const detail of details) {
    const key = fieldFor(detail.path);
    const message = key === "params" && detail.path.startsWith(PARAMS_PREFIX) ? `${detail.path.slice(PARAMS_PREFIX.length)}: ${detail.message}` : detail.message;
    add(key, message);
  }
  if (details.length === 0) add(error.field && isFieldKey(error.field) ? error.field : "form", error.message);
  return errors;
}

function fieldFor(path: string): FieldKey {
  if (isFieldKey(path)) return path;
  if (path === "type") return "type";
  if (path.startsWith("params")) return "params";
  if (path.startsWith("schedule.")) {
    const parent = path.split(".").slice(0, 2).join(".");
    return isFieldKey(parent) ? parent : "schedule";
  }
  return "form";
}

const isFieldKey = (value: string): value is FieldKey => (FIELD_KEYS as readonly string[]).includes(value);

function isDetail(value: unknown): value is { path: string; message: string } {
  return typeof value === "object" && value !== null && typeof (value as { path?: unknown }).path === "string" && typeof (value as { message?: unknown }).message === "string";
}
