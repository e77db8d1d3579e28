// Server errors placed on a form's fields: a detail's path (or the error's `field`) names the
// field; whatever fits no field goes to "form", shown above the form. The one mapper of every
// console form; a form with nested fields passes its own `fieldFor` (see jobs/field-errors.ts).
import type { ActionError } from "@/lib/actions/action";
import { describeActionError } from "@/components/jobs/action-feedback";

export type FormErrors<K extends string> = Partial<Record<K | "form", string[]>>;
export type ErrorDetail = { path: string; message: string };

export interface Placement<K extends string> {
  /** The field a detail's path belongs to; by default the path itself when it is one of `fields`. */
  fieldFor?: (path: string) => K | "form";
  /** The message shown for a detail on that field; by default the detail's own. */
  message?: (detail: ErrorDetail, key: K | "form") => string;
}

export function formErrorsFrom<K extends string>(error: ActionError, fields: readonly K[], placement: Placement<K> = {}): FormErrors<K> {
  const isField = (path: string | undefined): path is K => (fields as readonly string[]).includes(path ?? "");
  const fieldFor = placement.fieldFor ?? ((path: string) => (isField(path) ? path : "form"));
  const errors: FormErrors<K> = {};
  const add = (key: K | "form", message: string) => {
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  const details = (error.details ?? []).filter(isDetail);
  for (const detail of details) {
    const key = fieldFor(detail.path);
    add(key, placement.message ? placement.message(detail, key) : detail.message);
  }
  if (details.length === 0) add(isField(error.field) ? error.field : "form", describeActionError(error));
  return errors;
}

function isDetail(value: unknown): value is ErrorDetail {
  return typeof value === "object" && value !== null && typeof (value as { path?: unknown }).path === "string" && typeof (value as { message?: unknown }).message === "string";
}
