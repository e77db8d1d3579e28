"use client";
// The settings' small modal forms ("Add user", "Create token"): the Modal with Cancel and a busy
// submit button, the form-level error, and a save that places server errors on the fields.
import { startTransition, useActionState, useRef, type ReactNode, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import { formErrorsFrom, type FormErrors, type Placement } from "@/components/ui/form-errors";
import type { ActionResult } from "@/lib/actions/action";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";

export type FormState<K extends string, T> = { errors: FormErrors<K>; saved?: T };

interface FormActionOptions<K extends string, D, T> {
  fields: readonly K[];
  action: (draft: D) => Promise<ActionResult<T>>;
  /** The headline of a failure: "Could not create the token". */
  failure: string;
  onSaved: (data: T) => void;
  /** Where errors on nested paths (`events.0`) go; by default only exact field names match. */
  placement?: Placement<K>;
}

/**
 * Saves a draft through a server action. `submit` ignores a second submit until the first has
 * failed: `pending` only changes on the next render, so a fast double Enter would otherwise send
 * two (two users, or two tokens of which only one is ever shown).
 */
export function useFormAction<K extends string, D, T>({ fields, action, failure, onSaved, placement }: FormActionOptions<K, D, T>) {
  const announce = useAnnounce();
  const sending = useRef(false);
  const [state, dispatch, pending] = useActionState(async (_previous: FormState<K, T>, draft: D): Promise<FormState<K, T>> => {
    const result = await action(draft);
    if (result.ok) {
      onSaved(result.data);
      return { errors: {}, saved: result.data };
    }
    sending.current = false;
    toastActionError(failure, result.error);
    announce(`${failure}. ${describeActionError(result.error)}`);
    return { errors: formErrorsFrom(result.error, fields, placement) };
  }, { errors: {} });
  const submit = (draft: D) => {
    if (sending.current) return;
    sending.current = true;
    startTransition(() => dispatch(draft));
  };
  return { state, submit, pending };
}

interface FormDialogProps {
  title: string;
  formId: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  formErrors?: string[];
  initialFocus: RefObject<HTMLElement | null>;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

export function FormDialog({ title, formId, submitLabel, pendingLabel, pending, formErrors, initialFocus, onSubmit, onClose, children }: FormDialogProps) {
  return (
    <Modal
      title={title}
      size="small"
      onClose={onClose}
      initialFocus={initialFocus}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} busy={pending}>
            {pending ? pendingLabel : submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {formErrors ? (
          <p className="callout danger" role="alert">
            {formErrors.join(" ")}
          </p>
        ) : null}
        {children}
      </form>
    </Modal>
  );
}
