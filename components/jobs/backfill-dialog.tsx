"use client";
// Backfill from the job page: pick a past range, see the fire times it would queue (a dry run,
// marking those that already ran), then queue them. The worker runs them one at a time.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import { formatUtc, fromLocalInput, minuteFromNow } from "@/components/ui/time-format";
import type { ActionError } from "@/lib/actions/action";
import type { BackfillPreview } from "@/lib/jobs/backfill";
import type { JobDto } from "@/lib/jobs/schemas";
import { backfillJobAction, previewBackfillAction } from "@/app/(console)/jobs/actions";
import { toastActionError } from "./action-feedback";

const SHOWN = 50;
const DAY = 86_400_000;

export function BackfillDialog({ job, onClose }: { job: JobDto; onClose: () => void }) {
  const router = useRouter();
  const announce = useAnnounce();
  const [from, setFrom] = useState(() => minuteFromNow(-DAY));
  const [to, setTo] = useState(() => minuteFromNow(0));
  const [preview, setPreview] = useState<BackfillPreview | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [busy, startWork] = useTransition();
  const range = () => ({ id: job.id, from: fromLocalInput(from), to: fromLocalInput(to) });
  const errorsFor = (field: string) => (error?.field === field ? [error.message] : undefined);

  const showPreview = () =>
    startWork(async () => {
      const result = await previewBackfillAction({ ...range(), dryRun: true });
      if (!result.ok) {
        setPreview(null);
        return setError(result.error);
      }
      setError(null);
      setPreview(result.data);
    });

  const queue = () =>
    startWork(async () => {
      const result = await backfillJobAction(range());
      if (!result.ok) {
        if (result.error.field) return setError(result.error);
        return toastActionError(`Could not backfill "${job.name}"`, result.error);
      }
      const message = `Queued ${result.data.count} backfill run(s) of "${job.name}"${result.data.skipped ? `; ${result.data.skipped} fire time(s) already had a run` : ""}`;
      toast.success(message, { description: "They run one at a time, oldest first." });
      announce(message);
      onClose();
      router.refresh();
    });

  const existing = new Set(preview?.existing ?? []);
  const toQueue = preview ? preview.count - preview.existing.length : 0;
  return (
    <Modal
      title={`Backfill "${job.name}"`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="secondary" busy={busy} onClick={showPreview}>
            Show fire times
          </Button>
          {preview ? (
            <Button busy={busy} onClick={queue} disabled={toQueue === 0} data-testid="backfill-queue">
              Queue {toQueue} run{toQueue === 1 ? "" : "s"}
            </Button>
          ) : null}
        </>
      }
    >
      <p>Runs the job once for each of its fire times in a past range, as if the scheduler had fired them then (at most 1,000).</p>
      <div className="form-row">
        <Field id="backfill-from" label="From (your time zone)" errors={errorsFor("from")}>
          {(control) => (
            <input {...control} type="datetime-local" value={from} onChange={(event) => { setFrom(event.target.value); setPreview(null); }} />
          )}
        </Field>
        <Field id="backfill-to" label="To, not included" errors={errorsFor("to")}>
          {(control) => (
            <input {...control} type="datetime-local" value={to} onChange={(event) => { setTo(event.target.value); setPreview(null); }} />
          )}
        </Field>
      </div>
      {error && error.field !== "from" && error.field !== "to" ? (
        <p className="field-errors" role="alert">
          {error.message}
        </p>
      ) : null}
      <div role="status" data-testid="backfill-preview">
        {preview ? (
          <>
            <p>
              <strong>{preview.count === 1 ? "1 fire time" : `${preview.count} fire times`}</strong>
              {preview.existing.length ? `; ${preview.existing.length} already ran and will be skipped` : ""}.
            </p>
            {preview.count > 0 ? (
              <ol className="fire-times backfill-times">
                {preview.fireTimes.slice(0, SHOWN).map((time) => (
                  <li key={time}>
                    <time dateTime={time}>{formatUtc(new Date(time))}</time>
                    {existing.has(time) ? <span className="muted small"> (already ran)</span> : null}
                  </li>
                ))}
              </ol>
            ) : null}
            {preview.count > SHOWN ? <p className="muted small">…and {preview.count - SHOWN} more.</p> : null}
          </>
        ) : null}
      </div>
    </Modal>
  );
}
