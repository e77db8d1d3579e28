"use client";
// "Run job": an ad-hoc run of a handler (POST /api/enqueue's server action). The JSON syntax is
// checked here before anything is sent; the handler's own checks come back from the server and
// are shown on the field they are about. The new run's toast opens it in the details modal.
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import type { ActionError } from "@/lib/actions/action";
import type { Definition } from "@/lib/handlers/registry";
import { enqueueAction } from "@/app/(console)/executions/actions";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";
import { fieldErrorsFrom } from "@/components/jobs/field-errors";
import { formatParams, parseParamsText } from "@/components/jobs/form-model";
import { ParamsField } from "@/components/jobs/params-field";
import { showExecution, TOAST_WITH_ACTION_MS } from "./execution-href";

/** Operators and admins only: render it for them, the server refuses everyone else anyway. */
export function RunJobButton({ definitions }: { definitions: Definition[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} data-testid="run-job">
        <span aria-hidden="true">▶ </span>Run job
      </Button>
      {open ? <RunJobModal definitions={definitions} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

interface Errors {
  type?: string[];
  params?: string[];
  form?: string[];
}

function RunJobModal({ definitions, onClose }: { definitions: Definition[]; onClose: () => void }) {
  const announce = useAnnounce();
  const [type, setType] = useState(definitions[0]?.type ?? "");
  const definition = definitions.find((candidate) => candidate.type === type);
  const [paramsText, setParamsText] = useState(() => formatParams(definition?.defaultParams));
  const [errors, setErrors] = useState<Errors>({});
  const [sending, startSending] = useTransition();
  const typeRef = useRef<HTMLSelectElement>(null);
  const paramsRef = useRef<HTMLTextAreaElement>(null);

  function changeType(next: string) {
    // Fresh defaults for the new handler, unless the params were edited by hand.
    const untouched = paramsText.trim() === "" || paramsText === formatParams(definition?.defaultParams);
    const nextDefinition = definitions.find((candidate) => candidate.type === next);
    setType(next);
    if (untouched && nextDefinition) setParamsText(formatParams(nextDefinition.defaultParams));
    setErrors({});
  }

  function submit() {
    const params = parseParamsText(paramsText);
    if ("error" in params) {
      setErrors({ params: [params.error] });
      announce(`Not sent: ${params.error}`);
      paramsRef.current?.focus();
      return;
    }
    setErrors({});
    startSending(async () => {
      const result = await enqueueAction({ type, params: params.value });
      if (!result.ok) return failed(result.error);
      onClose();
      const { execution, warning } = result.data;
      toast.success(`Queued a ${type} run`, { description: `Execution ${execution.id}`, action: { label: "View", onClick: () => showExecution(execution.id) }, duration: TOAST_WITH_ACTION_MS });
      announce(`Queued a ${type} run, execution ${execution.id}`);
      if (warning) toast.warning(`${type} was already running`, { description: `${warning.message}. This run was queued anyway.` });
    });
  }

  function failed(error: ActionError) {
    const fields = fieldErrorsFrom({ ...error, message: describeActionError(error) });
    const { type: typeErrors, params: paramsErrors, ...rest } = fields;
    const other = Object.values(rest).flat();
    setErrors({ type: typeErrors, params: paramsErrors, form: other.length ? other : undefined });
    toastActionError(`Could not run ${type}`, error);
    announce(`Could not run ${type}. ${describeActionError(error)}`);
    (paramsErrors ? paramsRef : typeRef).current?.focus();
  }

  return (
    <Modal
      title="Run job"
      onClose={onClose}
      initialFocus={typeRef}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="run-job-form" busy={sending} data-testid="run-job-submit">
            {sending ? "Queuing…" : "Run"}
          </Button>
        </>
      }
    >
      <form
        id="run-job-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!sending) submit();
        }}
      >
        <p className="muted run-job-intro">An ad-hoc run of a handler, with no job behind it. It is queued at once.</p>
        {errors.form ? (
          <div className="callout danger" role="alert" data-testid="run-job-error">
            {errors.form.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        ) : null}
        <Field id="run-job-type" label="Handler" errors={errors.type} hint={definition?.description}>
          {(control) => (
            <select {...control} ref={typeRef} value={type} onChange={(event) => changeType(event.target.value)}>
              {definitions.map((candidate) => (
                <option key={candidate.type} value={candidate.type}>
                  {candidate.type}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ParamsField
          id="run-job-params"
          checkedWhen="when you run it"
          value={paramsText}
          onChange={(value) => {
            setParamsText(value);
            if (errors.params) setErrors((current) => ({ ...current, params: undefined }));
          }}
          errors={errors.params}
          definition={definition}
          textareaRef={paramsRef}
        />
      </form>
    </Modal>
  );
}
