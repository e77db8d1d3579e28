"use client";
// Create, edit or view a job in a modal. Saving goes through the server actions; the table shows
// the change at once (useOptimistic in JobsView) and drops it again if the server says no, in
// which case the errors appear on the fields they are about and a toast says why.
import { startTransition, useActionState, useEffect, useMemo, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import type { ActionError } from "@/lib/actions/action";
import type { Definition } from "@/lib/handlers/registry";
import { JobSchema, MISFIRE_POLICIES, OVERLAP_POLICIES, type JobDto, type JobInput } from "@/lib/jobs/schemas";
import { createJobAction, updateJobAction } from "@/app/(console)/jobs/actions";
import { changedFields, draftFromJob, fieldErrorsFrom, formatParams, inputFromDraft, newDraft, type FieldErrors, type FieldKey, type JobDraft } from "./form-model";
import type { JobRow, OptimisticChange } from "./optimistic";
import { ParamsField } from "./params-field";
import { ScheduleFields } from "./schedule-fields";

export type JobFormMode = "create" | "edit" | "view";

interface JobFormProps {
  mode: JobFormMode;
  job?: JobDto;
  definitions: Definition[];
  /** Why the form is read-only, when it is. */
  readOnlyReason?: string;
  onClose: () => void;
  /** Reopen the form on this (newer) version of the job, after a conflict. */
  onReload: (job: JobDto) => void;
  onOptimistic: (change: OptimisticChange) => void;
}

interface FormState {
  errors: FieldErrors;
  /** The job as it is now, when someone else changed it after the form opened. */
  conflict?: JobDto | "unknown";
  /** Counts failed saves, so each one moves focus to the summary again. */
  failures: number;
}

const INITIAL: FormState = { errors: {}, failures: 0 };

const OVERLAP_HINTS: Record<(typeof OVERLAP_POLICIES)[number], string> = {
  skip: "Skip: record the due run as skipped while the previous one is still queued or running.",
  allow: "Allow: run alongside the previous run.",
  queue: "Queue: run after the previous run finishes.",
  replace: "Replace: cancel the previous run and start the new one.",
};

const MISFIRE_HINTS: Record<(typeof MISFIRE_POLICIES)[number], string> = {
  run_once: "Run once: after downtime, one catch-up run, then the next future time.",
  skip: "Skip: record the missed times as one skipped execution.",
  catch_up: "Catch up: run every missed time (at most 100).",
};

const FIELD_LABELS: Record<FieldKey, { label: string; target: string }> = {
  name: { label: "Name", target: "job-name" },
  description: { label: "Description", target: "job-description" },
  type: { label: "Type", target: "job-type" },
  params: { label: "Params", target: "job-params" },
  schedule: { label: "Schedule", target: "job-schedule-type" },
  "schedule.expression": { label: "Cron expression", target: "job-cron" },
  "schedule.timezone": { label: "Time zone", target: "job-timezone" },
  "schedule.everySeconds": { label: "Every", target: "job-every" },
  "schedule.at": { label: "At", target: "job-at" },
  enabled: { label: "Enabled", target: "job-enabled" },
  overlapPolicy: { label: "Overlap policy", target: "job-overlap" },
  misfirePolicy: { label: "Misfire policy", target: "job-misfire" },
  timeoutSeconds: { label: "Timeout", target: "job-timeout" },
  maxAttempts: { label: "Max attempts", target: "job-attempts" },
  retryBackoffSeconds: { label: "Retry backoff", target: "job-backoff" },
  pauseAfterFailures: { label: "Pause after failures", target: "job-pause" },
  notes: { label: "Notes", target: "job-notes" },
  form: { label: "", target: "" },
};

export function JobForm({ mode, job, definitions, readOnlyReason, onClose, onReload, onOptimistic }: JobFormProps) {
  const router = useRouter();
  const announce = useAnnounce();
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const [draft, setDraft] = useState<JobDraft>(() =>
    job ? draftFromJob(job, browserZone) : newDraft(definitions[0]?.type ?? "", definitions[0]?.defaultParams ?? {}, browserZone),
  );
  const update = (changes: Partial<JobDraft>) => setDraft((current) => ({ ...current, ...changes }));
  const readOnly = mode === "view";
  const nameRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  async function save(previous: FormState, submitted: JobDraft): Promise<FormState> {
    const built = inputFromDraft(submitted);
    if (!built.ok) return { errors: built.errors, failures: previous.failures + 1 };
    const name = built.input.name.trim() || "the job";
    if (mode === "edit" && job) {
      const changes = changedFields(job, built.input);
      if (Object.keys(changes).length === 0) {
        toast.info(`No changes to save in "${job.name}"`);
        onClose();
        return INITIAL;
      }
      onOptimistic({ kind: "patch", id: job.id, changes: changes as Partial<JobDto> });
      announce(`Saving "${name}"…`);
      const result = await updateJobAction({ id: job.id, version: job.version, ...changes });
      if (result.ok) return succeeded(`Saved "${result.data.name}"`);
      return failed(previous, result.error, name);
    }
    onOptimistic({ kind: "add", row: previewRow(built.input) });
    announce(`Creating "${name}"…`);
    const result = await createJobAction(built.input);
    if (result.ok) return succeeded(`Created job "${result.data.name}"`);
    return failed(previous, result.error, name);
  }

  function succeeded(message: string): FormState {
    toast.success(message);
    announce(message);
    onClose();
    return INITIAL;
  }

  function failed(previous: FormState, error: ActionError, name: string): FormState {
    const conflict = error.code === "CONFLICT" && error.field === "version";
    const headline = conflict ? `"${name}" was changed by someone else` : `Could not save "${name}"`;
    toast.error(headline, { description: conflict ? "Reload the form to see the latest version." : error.message });
    announce(`${headline}. ${error.message}`);
    if (conflict) return { errors: {}, conflict: currentJob(error), failures: previous.failures + 1 };
    return { errors: fieldErrorsFrom(error), failures: previous.failures + 1 };
  }

  const [state, submit, saving] = useActionState(save, INITIAL);

  useEffect(() => {
    if (state.failures > 0) summaryRef.current?.focus();
  }, [state.failures]);

  const title = mode === "create" ? "New job" : mode === "edit" ? `Edit "${job?.name}"` : `"${job?.name}"`;
  const errors = state.errors;

  return (
    <Modal
      title={title}
      onClose={onClose}
      initialFocus={readOnly ? undefined : nameRef}
      footer={
        readOnly ? (
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" form="job-form" busy={saving} disabled={Boolean(state.conflict)}>
              {saving ? "Saving…" : mode === "create" ? "Create job" : "Save changes"}
            </Button>
          </>
        )
      }
    >
      <form
        id="job-form"
        className="job-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(() => submit(draft));
        }}
      >
        {readOnlyReason ? (
          <p className="callout info" data-testid="read-only-notice">
            <span aria-hidden="true">🔒 </span>
            {readOnlyReason}
          </p>
        ) : null}
        {state.conflict ? (
          <ConflictNotice
            yourVersion={job?.version}
            current={state.conflict}
            onReload={() => {
              router.refresh();
              if (state.conflict === "unknown") onClose();
              else if (state.conflict) onReload(state.conflict);
            }}
          />
        ) : null}
        <ErrorSummary errors={errors} innerRef={summaryRef} />

        <fieldset className="form-body" disabled={readOnly}>
          <BasicsSection draft={draft} update={update} errors={errors} definitions={definitions} nameRef={nameRef} mode={mode} />
          <ScheduleFields draft={draft} update={update} errors={errors} browserZone={browserZone} />
          <BehaviourSection draft={draft} update={update} errors={errors} />
          <fieldset className="form-section">
            <legend>Notes</legend>
            <Field id="job-notes" label="Notes" errors={errors.notes} hint="For the people who look after this job; at most 1000 characters.">
              {(control) => <textarea {...control} rows={3} value={draft.notes} onChange={(event) => update({ notes: event.target.value })} />}
            </Field>
          </fieldset>
        </fieldset>
      </form>
    </Modal>
  );
}

interface SectionProps {
  draft: JobDraft;
  update: (changes: Partial<JobDraft>) => void;
  errors: FieldErrors;
}

function BasicsSection({ draft, update, errors, definitions, nameRef, mode }: SectionProps & { definitions: Definition[]; nameRef: React.RefObject<HTMLInputElement | null>; mode: JobFormMode }) {
  const definition = definitions.find((candidate) => candidate.type === draft.type);

  function changeType(type: string) {
    const previous = definitions.find((candidate) => candidate.type === draft.type);
    const untouched = draft.paramsText.trim() === "" || draft.paramsText === formatParams(previous?.defaultParams);
    const next = definitions.find((candidate) => candidate.type === type);
    // Fresh defaults for the new type, unless the params were edited by hand.
    update({ type, ...(untouched && next ? { paramsText: formatParams(next.defaultParams) } : {}) });
  }

  return (
    <fieldset className="form-section">
      <legend>Basics</legend>
      <Field id="job-name" label="Name" errors={errors.name} hint="Unique among jobs, ignoring case.">
        {(control) => <input {...control} ref={nameRef} value={draft.name} maxLength={200} autoComplete="off" onChange={(event) => update({ name: event.target.value })} />}
      </Field>
      <Field id="job-description" label="Description" errors={errors.description} hint="Optional.">
        {(control) => <textarea {...control} rows={2} value={draft.description} onChange={(event) => update({ description: event.target.value })} />}
      </Field>
      <Field id="job-type" label="Type" errors={errors.type} hint={definition?.description ?? (mode === "view" ? "A handler for system-managed jobs." : undefined)}>
        {(control) => (
          <select {...control} value={draft.type} onChange={(event) => changeType(event.target.value)}>
            {definition ? null : <option value={draft.type}>{draft.type}</option>}
            {definitions.map((candidate) => (
              <option key={candidate.type} value={candidate.type}>
                {candidate.type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ParamsField
        value={draft.paramsText}
        onChange={(paramsText) => update({ paramsText })}
        errors={errors.params}
        definition={definition}
      />
    </fieldset>
  );
}

function BehaviourSection({ draft, update, errors }: SectionProps) {
  const number = (key: keyof JobDraft) => (event: React.ChangeEvent<HTMLInputElement>) => update({ [key]: event.target.value });
  return (
    <fieldset className="form-section">
      <legend>Behaviour</legend>
      <div className="checkbox-field">
        <input id="job-enabled" type="checkbox" checked={draft.enabled} onChange={(event) => update({ enabled: event.target.checked })} aria-describedby="job-enabled-hint" />
        <label htmlFor="job-enabled">Enabled</label>
        <p className="hint" id="job-enabled-hint">
          A disabled job keeps its schedule but does not fire; Run now still works.
        </p>
      </div>
      <div className="field-grid">
        <Field id="job-overlap" label="Overlap policy" errors={errors.overlapPolicy} hint={OVERLAP_HINTS[draft.overlapPolicy]}>
          {(control) => (
            <select {...control} value={draft.overlapPolicy} onChange={(event) => update({ overlapPolicy: event.target.value as JobDraft["overlapPolicy"] })}>
              {OVERLAP_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {policy}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="job-misfire" label="Misfire policy" errors={errors.misfirePolicy} hint={MISFIRE_HINTS[draft.misfirePolicy]}>
          {(control) => (
            <select {...control} value={draft.misfirePolicy} onChange={(event) => update({ misfirePolicy: event.target.value as JobDraft["misfirePolicy"] })}>
              {MISFIRE_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {policy.replace("_", " ")}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="job-timeout" label="Timeout (seconds)" errors={errors.timeoutSeconds} hint="A run still going after this is stopped: 1 s to 7 days.">
          {(control) => <input {...control} type="number" min={1} max={604800} inputMode="numeric" value={draft.timeoutSeconds} onChange={number("timeoutSeconds")} />}
        </Field>
        <Field id="job-attempts" label="Max attempts" errors={errors.maxAttempts} hint="1 means no retries; at most 25.">
          {(control) => <input {...control} type="number" min={1} max={25} inputMode="numeric" value={draft.maxAttempts} onChange={number("maxAttempts")} />}
        </Field>
        <Field id="job-backoff" label="Retry backoff (seconds)" errors={errors.retryBackoffSeconds} hint="Wait before the first retry; it doubles for each further one, with jitter.">
          {(control) => <input {...control} type="number" min={1} max={86400} inputMode="numeric" value={draft.retryBackoffSeconds} onChange={number("retryBackoffSeconds")} />}
        </Field>
        <Field id="job-pause" label="Pause after failures" errors={errors.pauseAfterFailures} hint="Stop scheduling after this many failed runs in a row; 0 never pauses.">
          {(control) => <input {...control} type="number" min={0} max={1000} inputMode="numeric" value={draft.pauseAfterFailures} onChange={number("pauseAfterFailures")} />}
        </Field>
      </div>
    </fieldset>
  );
}

function ErrorSummary({ errors, innerRef }: { errors: FieldErrors; innerRef: React.RefObject<HTMLDivElement | null> }) {
  const entries = (Object.entries(errors) as [FieldKey, string[]][]).filter(([, messages]) => messages.length > 0);
  if (entries.length === 0) return null;
  return (
    <div className="callout danger error-summary" role="alert" tabIndex={-1} ref={innerRef} data-testid="error-summary">
      <p className="callout-title">The job was not saved:</p>
      <ul>
        {entries.flatMap(([key, messages]) =>
          messages.map((message) => (
            <li key={`${key}:${message}`}>
              {key === "form" ? (
                message
              ) : (
                <a
                  href={`#${FIELD_LABELS[key].target}`}
                  onClick={(event) => {
                    const target = document.getElementById(FIELD_LABELS[key].target);
                    if (!target) return;
                    event.preventDefault();
                    (target.matches("input, select, textarea") ? target : target.querySelector<HTMLElement>("input, select, textarea"))?.focus();
                  }}
                >
                  {FIELD_LABELS[key].label}: {message}
                </a>
              )}
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

function ConflictNotice({ yourVersion, current, onReload }: { yourVersion?: number; current: JobDto | "unknown"; onReload: () => void }) {
  return (
    <div className="callout danger" role="alert" data-testid="conflict-notice">
      <p className="callout-title">Someone else changed this job after you opened it.</p>
      <p>
        {current === "unknown"
          ? "Your changes were not saved."
          : `It is now at version ${current.version}${yourVersion ? ` (you started from version ${yourVersion})` : ""}, last changed ${new Date(current.updatedAt).toLocaleString()}. Your changes were not saved.`}{" "}
        Reload to see the latest version, then make your change again.
      </p>
      <Button variant="secondary" onClick={onReload}>
        Reload latest version
      </Button>
    </div>
  );
}

/** The job the server holds now, sent with a CONFLICT answer. */
function currentJob(error: ActionError): JobDto | "unknown" {
  const parsed = JobSchema.safeParse(error.details?.[0]);
  return parsed.success ? parsed.data : "unknown";
}

/** A stand-in row for a job being created, until the server's answer replaces it. */
function previewRow(input: Required<JobInput>): JobRow {
  const now = new Date().toISOString();
  return {
    ...input,
    id: `pending-${crypto.randomUUID()}`,
    schedule: input.schedule,
    health: "active",
    systemManaged: false,
    nextRunAt: null,
    lastRunAt: null,
    lastStatus: null,
    consecutiveFailures: 0,
    version: 0,
    createdAt: now,
    updatedAt: now,
    createdBy: "",
    pending: "creating",
  };
}
