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
import { LockIcon } from "@/components/ui/lock-icon";
import { Modal } from "@/components/ui/modal";
import type { ActionError } from "@/lib/actions/action";
import type { Definition } from "@/lib/handlers/registry";
import { JobSchema, type JobDto, type JobInput } from "@/lib/jobs/schemas";
import { createJobAction, updateJobAction } from "@/app/(console)/jobs/actions";
import { fieldErrorsFrom, type FieldErrors } from "./field-errors";
import { changedFields, draftFromJob, inputFromDraft, newDraft, type JobDraft } from "./form-model";
import { ConflictNotice, ErrorSummary } from "./form-notices";
import { BasicsSection, BehaviourSection, ChainsSection, type JobFormMode } from "./job-form-sections";
import type { JobRow, OptimisticChange } from "./optimistic";
import { describeActionError, toastActionError } from "./action-feedback";
import { ScheduleFields } from "./schedule-fields";

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
    const description = conflict ? "Reload the form to see the latest version." : describeActionError(error);
    toastActionError(headline, error, description);
    announce(`${headline}. ${description}`);
    if (conflict) return { errors: {}, conflict: currentJob(error), failures: previous.failures + 1 };
    return { errors: fieldErrorsFrom({ ...error, message: describeActionError(error) }), failures: previous.failures + 1 };
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
            <Button type="submit" form="job-form" busy={saving} disabled={Boolean(state.conflict)} data-testid="save-job">
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
          if (!saving && !state.conflict) startTransition(() => submit(draft));
        }}
      >
        {readOnlyReason ? (
          <p className="callout info" data-testid="read-only-notice">
            <LockIcon /> {readOnlyReason}
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
          <ChainsSection draft={draft} update={update} errors={errors} selfId={job?.id} />
          <div className="form-section">
            <Field id="job-notes" label="Notes" errors={errors.notes} hint="For the people who look after this job; at most 1000 characters.">
              {(control) => <textarea {...control} rows={3} value={draft.notes} onChange={(event) => update({ notes: event.target.value })} />}
            </Field>
          </div>
        </fieldset>
      </form>
    </Modal>
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
    health: "active",
    systemManaged: false,
    nextRunAt: null,
    lastRunAt: null,
    lastStatus: null,
    consecutiveFailures: 0,
    pausedUntil: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    createdBy: "",
    pending: "creating",
  };
}
