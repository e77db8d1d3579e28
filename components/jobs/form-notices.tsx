"use client";
// What the job form says when a save fails: a summary linking to each field with an error, and
// the notice for an edit that lost a race with someone else's.
import { Button } from "@/components/ui/button";
import type { JobDto } from "@/lib/jobs/schemas";
import type { FieldErrors, FieldKey } from "./field-errors";

const FIELD_LABELS: Record<FieldKey, { label: string; target: string }> = {
  name: { label: "Name", target: "job-name" },
  description: { label: "Description", target: "job-description" },
  type: { label: "Type", target: "job-type" },
  params: { label: "Params", target: "job-params" },
  schedule: { label: "Schedule", target: "job-schedule-type" },
  "schedule.expression": { label: "Cron expression", target: "job-cron" },
  "schedule.timezone": { label: "Time zone", target: "job-timezone" },
  "schedule.everySeconds": { label: "Every", target: "job-every" },
  "schedule.at": { label: "At", target: "job-at" },
  enabled: { label: "Enabled", target: "job-enabled" },
  overlapPolicy: { label: "Overlap policy", target: "job-overlap" },
  misfirePolicy: { label: "Misfire policy", target: "job-misfire" },
  timeoutSeconds: { label: "Timeout", target: "job-timeout" },
  maxAttempts: { label: "Max attempts", target: "job-attempts" },
  retryBackoffSeconds: { label: "Retry backoff", target: "job-backoff" },
  pauseAfterFailures: { label: "Pause after failures", target: "job-pause" },
  onSuccess: { label: "Run when a run succeeds", target: "job-on-success" },
  onFailure: { label: "Run when a run fails", target: "job-on-failure" },
  notes: { label: "Notes", target: "job-notes" },
  form: { label: "", target: "" },
};

export function ErrorSummary({ errors, innerRef }: { errors: FieldErrors; innerRef: React.RefObject<HTMLDivElement | null> }) {
  const entries = (Object.entries(errors) as [FieldKey, string[]][]).filter(([, messages]) => messages.length > 0);
  if (entries.length === 0) return null;
  return (
    <div className="callout danger error-summary" role="alert" tabIndex={-1} ref={innerRef} data-testid="error-summary">
      <p className="callout-title">The job was not saved:</p>
      <ul>
        {entries.flatMap(([key, messages]) =>
          messages.map((message) => (
            <li key={`${key}:${message}`}>
              {key === "form" ? (
                message
              ) : (
                <a
                  href={`#${FIELD_LABELS[key].target}`}
                  onClick={(event) => {
                    const target = document.getElementById(FIELD_LABELS[key].target);
                    if (!target) return;
                    event.preventDefault();
                    (target.matches("input, select, textarea") ? target : target.querySelector<HTMLElement>("input, select, textarea"))?.focus();
                  }}
                >
                  {FIELD_LABELS[key].label}: {message}
                </a>
              )}
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

export function ConflictNotice({ yourVersion, current, onReload }: { yourVersion?: number; current: JobDto | "unknown"; onReload: () => void }) {
  return (
    <div className="callout danger" role="alert" data-testid="conflict-notice">
      <p className="callout-title">Someone else changed this job after you opened it.</p>
      <p>
        {current === "unknown"
          ? "Your changes were not saved."
          : `It is now at version ${current.version}${yourVersion ? ` (you started from version ${yourVersion})` : ""}, last changed ${new Date(current.updatedAt).toLocaleString()}. Your changes were not saved.`}{" "}
        Reload to see the latest version, then make your change again.
      </p>
      <Button variant="secondary" onClick={onReload}>
        Reload latest version
      </Button>
    </div>
  );
}

