// Server errors placed on the job form's fields: `details` paths such as "params.url" or
// "schedule.expression" name the field; whatever fits no field goes to the summary at the top.
import type { ActionError } from "@/lib/actions/action";
import { formErrorsFrom, type FormErrors } from "@/components/ui/form-errors";

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
  "onSuccess",
  "onFailure",
  "notes",
  "form",
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];
export type FieldErrors = FormErrors<FieldKey>;

const PARAMS_PREFIX = "params.";

/** Places a server error's details on the fields they name ("params.url" on params, prefixed). */
export const fieldErrorsFrom = (error: ActionError): FieldErrors =>
  formErrorsFrom(error, FIELD_KEYS, {
    fieldFor,
    message: (detail, key) => (key === "params" && detail.path.startsWith(PARAMS_PREFIX) ? `${detail.path.slice(PARAMS_PREFIX.length)}: ${detail.message}` : detail.message),
  });

function fieldFor(path: string): FieldKey {
  if (isFieldKey(path)) return path;
  if (path.startsWith("params")) return "params";
  if (path.startsWith("onSuccess")) return "onSuccess";
  if (path.startsWith("onFailure")) return "onFailure";
  if (path.startsWith("schedule.")) {
    const parent = path.split(".").slice(0, 2).join(".");
    return isFieldKey(parent) ? parent : "schedule";
  }
  return "form";
}

const isFieldKey = (value: string): value is FieldKey => (FIELD_KEYS as readonly string[]).includes(value);
