"use client";
// The secrets table (admin): add, replace a value, delete. Values are never shown; each secret
// lists the jobs that use it, and deleting one that is used is refused with those jobs named.
import Link from "next/link";
import { startTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { useAnnounce } from "@/components/ui/live-region";
import { RelativeTime } from "@/components/ui/relative-time";
import { deleteSecretAction } from "@/lib/actions/secrets";
import type { SecretDto } from "@/lib/secrets/schemas";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";
import { useDialog } from "./row-actions";
import { SecretDialog } from "./secret-dialog";

export type SecretRow = SecretDto & { jobs: { id: string; name: string }[] };

type Dialog = { kind: "add" } | { kind: "replace"; name: string } | { kind: "delete"; secret: SecretRow };

export function SecretsSection({ secrets, serverNow }: { secrets: SecretRow[]; serverNow: number }) {
  const announce = useAnnounce();
  const [dialog, setDialog, close] = useDialog<Dialog>();

  function remove(secret: SecretRow) {
    startTransition(async () => {
      const result = await deleteSecretAction({ name: secret.name });
      if (!result.ok) {
        toastActionError(`Could not delete ${secret.name}`, result.error);
        announce(`Could not delete ${secret.name}. ${describeActionError(result.error)}`);
        return;
      }
      toast.success(`Deleted secret ${secret.name}`);
      announce(`Deleted secret ${secret.name}`);
    });
  }

  return (
    <section aria-labelledby="secrets-title" className="settings-section" data-testid="secrets-section">
      <div className="toolbar">
        <h2 id="secrets-title">Secrets</h2>
        <Button onClick={() => setDialog({ kind: "add" })}>
          <span aria-hidden="true">+ </span>Add secret
        </Button>
      </div>
      <p className="muted">
        Job params use a secret as <code>{"{{secrets.NAME}}"}</code>; runs get its value when they start. Values are encrypted and never shown again.
      </p>
      {secrets.length === 0 ? (
        <div className="empty" data-testid="secrets-empty">
          <p>No secrets yet.</p>
        </div>
      ) : (
        <DataTable className="settings-table secrets-table" caption="Secrets, by name" columns={["Name", "Used by", "Updated", { hidden: "Actions" }]}>
          {secrets.map((secret) => (
            <tr key={secret.name} data-secret-name={secret.name}>
              <td>
                <code>{secret.name}</code>
              </td>
              <td className="cell-used-by">
                {secret.jobs.length === 0 ? <span className="muted">No job</span> : <JobLinks jobs={secret.jobs} />}
              </td>
              <td className="cell-when">
                <RelativeTime iso={secret.updatedAt} serverNow={serverNow} /> <span className="muted">by {secret.updatedBy}</span>
              </td>
              <td className="cell-actions">
                <Button variant="secondary" size="small" onClick={() => setDialog({ kind: "replace", name: secret.name })}>
                  Replace<span className="sr-only"> {secret.name}</span>
                </Button>{" "}
                <Button variant="danger" size="small" onClick={() => setDialog({ kind: "delete", secret })}>
                  Delete<span className="sr-only"> {secret.name}</span>
                </Button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {dialog?.kind === "add" ? <SecretDialog onClose={close} /> : null}
      {dialog?.kind === "replace" ? <SecretDialog replacing={dialog.name} onClose={close} /> : null}
      {dialog?.kind === "delete" ? (
        <ConfirmDialog
          title={`Delete ${dialog.secret.name}?`}
          confirmLabel="Delete secret"
          onCancel={close}
          onConfirm={() => {
            close();
            remove(dialog.secret);
          }}
        >
          {dialog.secret.jobs.length > 0 ? (
            <div className="callout warn" data-testid="secret-users">
              <p>
                These jobs use it, so deleting it is refused until they no longer do: <JobLinks jobs={dialog.secret.jobs} />
              </p>
            </div>
          ) : (
            <p>Runs that use it would fail from now on. This cannot be undone.</p>
          )}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function JobLinks({ jobs }: { jobs: { id: string; name: string }[] }) {
  return (
    <>
      {jobs.map((job, index) => (
        <span key={job.id}>
          {index > 0 ? ", " : null}
          <Link href={`/jobs/${job.id}`}>{job.name}</Link>
        </span>
      ))}
    </>
  );
}
