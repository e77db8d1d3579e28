"use client";
// "Add user": email, name, role and an initial password (typed, or generated and shown so the
// admin can pass it on). Server errors land on the field they are about, e.g. a taken email.
import { startTransition, useActionState, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import { ROLES, type Role } from "@/lib/auth/roles";
import { createUserAction } from "@/app/(console)/settings/actions";
import { toastActionError } from "@/components/jobs/action-feedback";
import { CopyButton } from "./copy-button";
import { formErrorsFrom, type FormErrors } from "./form-errors";
import { generatePassword } from "./password";
import { ROLE_HINTS } from "./roles";

const FIELDS = ["email", "name", "role", "password"] as const;
type Draft = { email: string; name: string; role: Role; password: string };
type State = { errors: FormErrors<(typeof FIELDS)[number]> };

export function AddUserDialog({ onClose }: { onClose: () => void }) {
  const announce = useAnnounce();
  const emailRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<Draft>({ email: "", name: "", role: "viewer", password: "" });
  const [showPassword, setShowPassword] = useState(false);

  async function save(_previous: State, submitted: Draft): Promise<State> {
    const result = await createUserAction({ ...submitted, name: submitted.name.trim() || undefined });
    if (result.ok) {
      const message = `Created user ${result.data.email} (${result.data.role})`;
      toast.success(message, { description: "They can sign in now with the initial password." });
      announce(message);
      onClose();
      return { errors: {} };
    }
    toastActionError("Could not create the user", result.error);
    announce(`Could not create the user. ${result.error.message}`);
    return { errors: formErrorsFrom(result.error, FIELDS) };
  }
  const [state, submit, saving] = useActionState(save, { errors: {} });
  const errors = state.errors;

  return (
    <Modal
      title="Add user"
      size="small"
      onClose={onClose}
      initialFocus={emailRef}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="add-user-form" busy={saving}>
            {saving ? "Adding…" : "Add user"}
          </Button>
        </>
      }
    >
      <form
        id="add-user-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!saving) startTransition(() => submit(draft));
        }}
      >
        {errors.form ? (
          <p className="callout danger" role="alert">
            {errors.form.join(" ")}
          </p>
        ) : null}
        <Field id="user-email" label="Email" errors={errors.email}>
          {(control) => <input {...control} ref={emailRef} type="email" autoComplete="off" value={draft.email} onChange={(event) => setDraft({ ...draft, email: event.target.value })} />}
        </Field>
        <Field id="user-name" label="Name" hint="Optional." errors={errors.name}>
          {(control) => <input {...control} autoComplete="off" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />}
        </Field>
        <Field id="user-role" label="Role" hint={ROLE_HINTS[draft.role]} errors={errors.role}>
          {(control) => (
            <select {...control} value={draft.role} onChange={(event) => setDraft({ ...draft, role: event.target.value as Role })}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          )}
        </Field>
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
      </form>
    </Modal>
  );
}
