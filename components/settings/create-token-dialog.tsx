"use client";
// "Create token": a name and a role; then the token itself, shown this once in a read-only field
// with a Copy button. Only its hash is stored, so closing the dialog loses it for good.
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import type { Role } from "@/lib/auth/roles";
import type { TokenDto } from "@/lib/auth/tokens";
import { createTokenAction } from "@/app/(console)/settings/actions";
import { FormDialog, useFormAction } from "./form-dialog";
import { RoleField } from "./roles";

const FIELDS = ["name", "role"] as const;
type Draft = { name: string; role: Role };

export function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const announce = useAnnounce();
  const nameRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<Draft>({ name: "", role: "viewer" });
  const { state, submit, pending } = useFormAction({
    fields: FIELDS,
    action: createTokenAction,
    failure: "Could not create the token",
    onSaved: ({ record }) => {
      const message = `Created API token "${record.name}"`;
      toast.success(message, { description: "Copy it now: it is shown only once." });
      announce(`${message}. Copy it now: it is shown only once.`);
    },
  });

  if (state.saved) return <TokenCreated created={state.saved} onClose={onClose} />;
  const errors = state.errors;
  return (
    <FormDialog
      title="Create API token"
      formId="create-token-form"
      submitLabel="Create token"
      pendingLabel="Creating…"
      pending={pending}
      formErrors={errors.form}
      initialFocus={nameRef}
      onSubmit={() => submit(draft)}
      onClose={onClose}
    >
        <Field id="token-name" label="Name" hint="Who or what uses it, e.g. deploy-bot. Audit events and runs name it." errors={errors.name}>
          {(control) => <input {...control} ref={nameRef} autoComplete="off" maxLength={100} value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />}
        </Field>
        <RoleField id="token-role" value={draft.role} errors={errors.role} onChange={(role) => setDraft({ ...draft, role })} />
    </FormDialog>
  );
}

function TokenCreated({ created, onClose }: { created: { token: string; record: TokenDto }; onClose: () => void }) {
  const fieldRef = useRef<HTMLInputElement>(null);
  return (
    <Modal
      title={`Token "${created.record.name}" created`}
      size="small"
      onClose={onClose}
      initialFocus={fieldRef}
      footer={<Button onClick={onClose}>Done</Button>}
    >
      <p className="callout warn" id="new-token-warning">
        <strong>Copy it now: this token is shown only once.</strong> Tickwork keeps only a hash of it; if it is lost, revoke it and
        create another.
      </p>
      <div className="field">
        <label htmlFor="new-token">API token ({created.record.role})</label>
        <div className="input-with-actions">
          <input
            id="new-token"
            ref={fieldRef}
            className="mono"
            readOnly
            value={created.token}
            aria-describedby="new-token-warning new-token-usage"
            onFocus={(event) => event.currentTarget.select()}
            data-testid="new-token"
          />
          <CopyButton value={created.token} what="the token" fieldId="new-token" />
        </div>
        <p className="hint" id="new-token-usage">
          Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
      </div>
    </Modal>
  );
}
