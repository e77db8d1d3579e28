"use client";
// Pause a job until a time: its scheduled fires are recorded as skipped (PAUSED) until then.
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { fromLocalInput, minuteFromNow } from "@/components/ui/time-format";
import type { ActionError } from "@/lib/actions/action";
import type { JobDto } from "@/lib/jobs/schemas";

export function PauseDialog({ job, onPause, onClose }: { job: JobDto; onPause: (until: string) => Promise<ActionError | null>; onClose: () => void }) {
  const [until, setUntil] = useState(() => minuteFromNow(3_600_000));
  const [error, setError] = useState<string | null>(null);
  const [busy, startPause] = useTransition();
  const submit = () =>
    startPause(async () => {
      const refused = await onPause(fromLocalInput(until));
      if (refused?.field === "until") return setError(refused.message);
      onClose();
    });
  return (
    <Modal
      title={`Pause "${job.name}"`}
      onClose={onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button busy={busy} onClick={submit}>
            Pause
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <p>Until then each scheduled fire is recorded as skipped, so the history shows what did not run. Run now still works.</p>
        <Field id="pause-until" label="Pause until (your time zone)" errors={error ? [error] : undefined}>
          {(control) => <input {...control} type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} required />}
        </Field>
      </form>
    </Modal>
  );
}
