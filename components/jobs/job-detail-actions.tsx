"use client";
// The detail page's actions, the same as a row of the jobs table: run now, edit (the list's
// modal), enable/disable, pause/resume, backfill and delete (then back to /jobs). Read-only for
// viewers and system jobs.
import { startTransition, useOptimistic, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAnnounce } from "@/components/ui/live-region";
import type { Definition } from "@/lib/handlers/registry";
import type { JobDto } from "@/lib/jobs/schemas";
import { deleteJobAction } from "@/app/(console)/jobs/actions";
import { toastActionError } from "./action-feedback";
import { BackfillDialog } from "./backfill-dialog";
import { PauseDialog } from "./pause-dialog";
import { DeleteJobDialog } from "./delete-job-dialog";
import { JobForm } from "./job-form";
import { SYSTEM_MANAGED_TITLE } from "./jobs-table";
import { isPaused } from "./paused";
import { applyOptimistic, type JobRow, type OptimisticChange } from "./optimistic";
import { useJobMutations } from "./use-job-mutations";

type Dialog = { kind: "edit"; job: JobDto; key: string } | { kind: "delete" } | { kind: "pause" } | { kind: "backfill" } | null;

export function JobDetailActions({ job, canEdit, definitions, serverNow }: { job: JobDto; canEdit: boolean; definitions: Definition[]; serverNow: number }) {
  const router = useRouter();
  const announce = useAnnounce();
  const [rows, addOptimistic] = useOptimistic<JobRow[], OptimisticChange>([job], applyOptimistic);
  const shown = rows[0] ?? job;
  const mutations = useJobMutations(addOptimistic);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [running, startRun] = useTransition();
  const [deleting, startDelete] = useTransition();
  const editRef = useRef<HTMLButtonElement>(null);
  const editable = canEdit && !job.systemManaged;
  const close = () => setDialog(null);

  if (!canEdit) return <p className="muted">You have the viewer role: you can look, not change.</p>;

  const remove = () =>
    startDelete(async () => {
      close();
      const result = await deleteJobAction({ id: job.id, version: job.version });
      if (!result.ok) {
        toastActionError(`Could not delete "${job.name}"`, result.error);
        router.refresh();
        return;
      }
      toast.success(`Deleted "${job.name}"`, { description: "Its executions and audit history are kept." });
      announce(`Deleted "${job.name}"`);
      router.push("/jobs");
    });

  return (
    <div className="detail-actions" role="group" aria-label="Job actions">
      <Button
        variant="secondary"
        busy={running}
        onClick={() =>
          startRun(async () => {
            await mutations.run(job);
            router.refresh();
          })
        }
      >
        {running ? "Queuing…" : "Run now"}
      </Button>
      {editable ? (
        <>
          {shown.health === "failed" ? (
            <Button
              variant="secondary"
              busy={Boolean(shown.pending)}
              onClick={() => {
                mutations.reset(job);
                // Reset goes away with the failed state; keep the keyboard focus among the actions.
                editRef.current?.focus();
              }}
            >
              Reset
            </Button>
          ) : null}
          <Button ref={editRef} variant="secondary" onClick={() => setDialog({ kind: "edit", job, key: `${job.id}@${job.version}` })}>
            Edit
          </Button>
          <button
            type="button"
            role="switch"
            className="switch"
            aria-checked={shown.enabled}
            aria-label="Enabled"
            aria-disabled={shown.pending ? true : undefined}
            onClick={() => {
              if (!shown.pending) mutations.setEnabled(job, !shown.enabled);
            }}
          >
            <span className="switch-track" aria-hidden="true">
              <span className="switch-thumb" />
            </span>
            <span className="switch-text">{shown.enabled ? "Enabled" : "Disabled"}</span>
          </button>
          {isPaused(shown, serverNow) ? (
            <Button variant="secondary" busy={Boolean(shown.pending)} onClick={() => mutations.resume(job)}>
              Resume
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => setDialog({ kind: "pause" })}>
              Pause…
            </Button>
          )}
          {job.schedule.type === "cron" || job.schedule.type === "interval" ? (
            <Button variant="secondary" onClick={() => setDialog({ kind: "backfill" })}>
              Backfill…
            </Button>
          ) : null}
          <Button variant="danger" busy={deleting} onClick={() => setDialog({ kind: "delete" })}>
            Delete
          </Button>
        </>
      ) : (
        <p className="muted">{SYSTEM_MANAGED_TITLE}. You can still run it now.</p>
      )}
      {dialog?.kind === "edit" ? (
        <JobForm
          key={dialog.key}
          mode="edit"
          job={dialog.job}
          definitions={definitions}
          onClose={() => {
            close();
            startTransition(() => router.refresh());
          }}
          onReload={(latest) => setDialog({ kind: "edit", job: latest, key: `${latest.id}@${latest.version}` })}
          onOptimistic={addOptimistic}
        />
      ) : null}
      {dialog?.kind === "delete" ? <DeleteJobDialog job={job} onCancel={close} onConfirm={remove} /> : null}
      {dialog?.kind === "pause" ? (
        <PauseDialog
          job={job}
          onClose={close}
          onPause={async (until) => {
            const error = await mutations.pause(job, until);
            if (!error) startTransition(() => router.refresh());
            return error;
          }}
        />
      ) : null}
      {dialog?.kind === "backfill" ? <BackfillDialog job={job} onClose={close} /> : null}
    </div>
  );
}
