"use client";
// "Add secret" and "Replace value": a name (fixed when replacing) and a value typed into a
// password field. The value goes to the server once and is never shown again, here or anywhere.
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { setSecretAction } from "@/lib/actions/secrets";
import { FormDialog, useFormAction } from "./form-dialog";

const FIELDS = ["name", "value"] as const;

export function SecretDialog({ replacing, onClose }: { replacing?: string; onClose: () => void }) {
  const announce = useAnnounce();
  const firstRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState({ name: replacing ?? "", value: "" });
  const { state, submit, pending } = useFormAction({
    fields: FIELDS,
    action: setSecretAction,
    failure: replacing ? `Could not replace ${replacing}` : "Could not add the secret",
    onSaved: (secret) => {
      const message = replacing ? `Replaced the value of ${secret.name}` : `Added secret ${secret.name}`;
      toast.success(message, { description: `Jobs use it as {{secrets.${secret.name}}}.` });
      announce(message);
      onClose();
    },
  });
  const errors = state.errors;
  return (
    <FormDialog
      title={replacing ? `Replace the value of ${replacing}` : "Add secret"}
      formId="secret-form"
      submitLabel={replacing ? "Replace value" : "Add secret"}
      pendingLabel="Saving…"
      pending={pending}
      formErrors={errors.form}
      initialFocus={firstRef}
      onSubmit={() => submit(draft)}
      onClose={onClose}
    >
      {replacing ? null : (
        <Field id="secret-name" label="Name" hint="Capital letters, digits and underscores, e.g. REPORTS_TOKEN. Jobs use it as {{secrets.NAME}}." errors={errors.name}>
          {(control) => (
            <input
              {...control}
              ref={firstRef}
              className="mono"
              autoComplete="off"
              maxLength={64}
              value={draft.name}
              onChange={(event) => setDraft({ ...draft, name: event.target.value.toUpperCase() })}
            />
          )}
        </Field>
      )}
      <Field id="secret-value" label="Value" hint="Encrypted at rest and never shown again; runs get it when they start." errors={errors.value}>
        {(control) => (
          <input
            {...control}
            ref={replacing ? firstRef : undefined}
            type="password"
            autoComplete="new-password"
            value={draft.value}
            onChange={(event) => setDraft({ ...draft, value: event.target.value })}
          />
        )}
      </Field>
    </FormDialog>
  );
}
