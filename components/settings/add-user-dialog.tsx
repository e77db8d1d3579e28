"use client";
// "Add user": email, name, role and an initial password (typed, or generated and shown so the
// admin can pass it on). Server errors land on the field they are about, e.g. a taken email.
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import type { Role } from "@/lib/auth/roles";
import { createUserAction } from "@/app/(console)/settings/actions";
import { FormDialog, useFormAction } from "./form-dialog";
import { generatePassword } from "./password";
import { RoleField } from "./roles";

const FIELDS = ["email", "name", "role", "password"] as const;
type Draft = { email: string; name: string; role: Role; password: string };

export function AddUserDialog({ onClose }: { onClose: () => void }) {
  const announce = useAnnounce();
  const emailRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<Draft>({ email: "", name: "", role: "viewer", password: "" });
  const [showPassword, setShowPassword] = useState(false);
  const { state, submit, pending } = useFormAction({
    fields: FIELDS,
    action: (submitted: Draft) => createUserAction({ ...submitted, name: submitted.name.trim() || undefined }),
    failure: "Could not create the user",
    onSaved: (user) => {
      const message = `Created user ${user.email} (${user.role})`;
      toast.success(message, { description: "They can sign in now with the initial password." });
      announce(message);
      onClose();
    },
  });
  const errors = state.errors;

  return (
    <FormDialog
      title="Add user"
      formId="add-user-form"
      submitLabel="Add user"
      pendingLabel="Adding…"
      pending={pending}
      formErrors={errors.form}
      initialFocus={emailRef}
      onSubmit={() => submit(draft)}
      onClose={onClose}
    >
        <Field id="user-email" label="Email" errors={errors.email}>
          {(control) => <input {...control} ref={emailRef} type="email" autoComplete="off" value={draft.email} onChange={(event) => setDraft({ ...draft, email: event.target.value })} />}
        </Field>
        <Field id="user-name" label="Name" hint="Optional." errors={errors.name}>
          {(control) => <input {...control} autoComplete="off" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />}
        </Field>
        <RoleField id="user-role" value={draft.role} errors={errors.role} onChange={(role) => setDraft({ ...draft, role })} />
        <Field
          id="user-password"
          label="Initial password"
          hint="At least 10 characters. Pass it on to them privately."
          errors={errors.password}
          actions={
            <Button
              variant="ghost"
              size="small"
              onClick={() => {
                setDraft({ ...draft, password: generatePassword() });
                setShowPassword(true);
                announce("Generated a password; it is shown in the field");
              }}
            >
              Generate
            </Button>
          }
        >
          {(control) => (
            <div className="input-with-actions">
              <input
                {...control}
                type={showPassword ? "text" : "password"}
                className="mono"
                autoComplete="new-password"
                spellCheck={false}
                value={draft.password}
                onChange={(event) => setDraft({ ...draft, password: event.target.value })}
              />
              <Button variant="secondary" size="small" aria-pressed={showPassword} onClick={() => setShowPassword(!showPassword)}>
                Show<span className="sr-only"> password</span>
              </Button>
              {showPassword && draft.password ? <CopyButton value={draft.password} what="the password" fieldId="user-password" /> : null}
            </div>
          )}
        </Field>
    </FormDialog>
  );
}
