"use client";
// Settings: the maintenance window for the whole scheduler (admins). Start it with an end time and
// a reason, change it, or end it now; every console page shows its banner meanwhile.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { useHydrated } from "@/components/ui/clock";
import { formatUtc, fromLocalInput, minuteFromNow, toLocalInput } from "@/components/ui/time-format";
import { toastActionError } from "@/components/jobs/action-feedback";
import type { ActionError } from "@/lib/actions/action";
import { clearMaintenanceAction, setMaintenanceAction } from "@/lib/actions/maintenance";
import type { MaintenanceDto } from "@/lib/maintenance/schemas";

const fieldErrors = (error: ActionError, field: string) => (error.field === field ? [error.message] : undefined);

export function MaintenanceSection({ window }: { window: MaintenanceDto | null }) {
  const router = useRouter();
  const announce = useAnnounce();
  const [until, setUntil] = useState(() => (window ? toLocalInput(window.until) : minuteFromNow(3_600_000)));
  const [reason, setReason] = useState(window?.reason ?? "");
  const [error, setError] = useState<ActionError | null>(null);
  const [saving, startSave] = useTransition();
  const [ending, startEnd] = useTransition();
  // Server-rendered: until hydration the fields and buttons are disabled, since what anyone typed before it
  // would be replaced by the client's state (and the default end is in the browser's time zone).
  const hydrated = useHydrated();

  const save = () =>
    startSave(async () => {
      const result = await setMaintenanceAction({ until: fromLocalInput(until), reason });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      toast.success(`Maintenance until ${formatUtc(new Date(result.data.until))}`);
      announce(`Maintenance window set until ${formatUtc(new Date(result.data.until))}`);
      router.refresh();
    });

  const end = () =>
    startEnd(async () => {
      const result = await clearMaintenanceAction({});
      if (!result.ok) return toastActionError("Could not end the maintenance window", result.error);
      toast.success("Maintenance window ended");
      announce("Maintenance window ended");
      router.refresh();
    });

  return (
    <section aria-labelledby="maintenance-title" className="detail-section" id="maintenance" data-testid="maintenance-section">
      <h2 id="maintenance-title">Maintenance window</h2>
      <p className="muted">
        Until it ends, every scheduled fire of every job is recorded as skipped (<code>MAINTENANCE</code>); run now still works.
        {window ? ` In force until ${formatUtc(new Date(window.until))}, set by ${window.setBy}.` : " None is in force."}
      </p>
      <form
        className="maintenance-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Field id="maintenance-until" label="Until (your time zone)" errors={error ? fieldErrors(error, "until") : undefined}>
          {(control) => <input {...control} type="datetime-local" value={hydrated ? until : ""} onChange={(event) => setUntil(event.target.value)} disabled={!hydrated} required />}
        </Field>
        <Field id="maintenance-reason" label="Reason, for the banner" errors={error ? fieldErrors(error, "reason") : undefined}>
          {(control) => <input {...control} type="text" maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} disabled={!hydrated} />}
        </Field>
        {error && !error.field ? <p className="field-errors" role="alert">{error.message}</p> : null}
        <div className="toolbar-actions">
          <Button type="submit" busy={saving} disabled={!hydrated}>
            {window ? "Change the window" : "Start maintenance"}
          </Button>
          {window ? (
            <Button type="button" variant="secondary" busy={ending} disabled={!hydrated} onClick={end}>
              End now
            </Button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
