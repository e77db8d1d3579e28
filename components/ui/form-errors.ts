// Server errors placed on a small form's fields: a detail's path (or the error's `field`) names
// the field; whatever fits no field is shown above the form.
import type { ActionError } from "@/lib/actions/action";
import { describeActionError } from "@/components/jobs/action-feedback";

export type FormErrors<K extends string> = Partial<Record<K | "form", string[]>>;

export function formErrorsFrom<K extends string>(error: ActionError, fields: readonly K[]): FormErrors<K> {
  const errors: FormErrors<K> = {};
  const keyFor = (path: string | undefined): K | "form" => (fields as readonly string[]).includes(path ?? "") ? (path as K) : "form";
  const add = (key: K | "form", message: string) => {
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  const details = (error.details ?? []).filter(isDetail);
  for (const detail of details) add(keyFor(detail.path), detail.message);
  if (details.length === 0) add(keyFor(error.field), describeActionError(error));
  return errors;
}

function isDetail(value: unknown): value is { path: string; message: string } {
  return typeof value === "object" && value !== null && typeof (value as { path?: unknown }).path === "string" && typeof (value as { message?: unknown }).message === "string";
}
