"use client";
// The job form's basics (name, type, params), behaviour (policies, limits, retries) and chains.
import { Field } from "@/components/ui/field";
import type { Definition } from "@/lib/handlers/registry";
import { MISFIRE_POLICIES, OVERLAP_POLICIES } from "@/lib/jobs/schemas";
import type { FieldErrors } from "./field-errors";
import { formatParams, type JobDraft } from "./form-model";
import { ParamsField } from "./params-field";
import { ChainPicker } from "./chain-picker";

export type JobFormMode = "create" | "edit" | "view";

const OVERLAP_HINTS: Record<(typeof OVERLAP_POLICIES)[number], string> = {
  skip: "Skip: record the due run as skipped while the previous one is still queued or running.",
  allow: "Allow: run alongside the previous run.",
  queue: "Queue: run after the previous run finishes.",
  replace: "Replace: cancel the previous run and start the new one.",
};

const MISFIRE_HINTS: Record<(typeof MISFIRE_POLICIES)[number], string> = {
  run_once: "Run once: after downtime, one catch-up run, then the next future time.",
  skip: "Skip: record the missed times as one skipped execution.",
  catch_up: "Catch up: run every missed time (at most 100).",
};

interface SectionProps {
  draft: JobDraft;
  update: (changes: Partial<JobDraft>) => void;
  errors: FieldErrors;
}

export function BasicsSection({ draft, update, errors, definitions, nameRef, mode }: SectionProps & { definitions: Definition[]; nameRef: React.RefObject<HTMLInputElement | null>; mode: JobFormMode }) {
  const definition = definitions.find((candidate) => candidate.type === draft.type);

  function changeType(type: string) {
    const previous = definitions.find((candidate) => candidate.type === draft.type);
    const untouched = draft.paramsText.trim() === "" || draft.paramsText === formatParams(previous?.defaultParams);
    const next = definitions.find((candidate) => candidate.type === type);
    // Fresh defaults for the new type, unless the params were edited by hand.
    update({ type, ...(untouched && next ? { paramsText: formatParams(next.defaultParams) } : {}) });
  }

  return (
    <fieldset className="form-section">
      <legend>Basics</legend>
      <Field id="job-name" label="Name" errors={errors.name} hint="Unique among jobs, ignoring case.">
        {(control) => <input {...control} ref={nameRef} value={draft.name} maxLength={200} autoComplete="off" onChange={(event) => update({ name: event.target.value })} />}
      </Field>
      <Field id="job-description" label="Description" errors={errors.description} hint="Optional.">
        {(control) => <textarea {...control} rows={2} value={draft.description} onChange={(event) => update({ description: event.target.value })} />}
      </Field>
      <Field id="job-type" label="Type" errors={errors.type} hint={definition?.description ?? (mode === "view" ? "A handler for system-managed jobs." : undefined)}>
        {(control) => (
          <select {...control} value={draft.type} onChange={(event) => changeType(event.target.value)}>
            {definition ? null : <option value={draft.type}>{draft.type}</option>}
            {definitions.map((candidate) => (
              <option key={candidate.type} value={candidate.type}>
                {candidate.type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ParamsField
        value={draft.paramsText}
        onChange={(paramsText) => update({ paramsText })}
        errors={errors.params}
        definition={definition}
      />
    </fieldset>
  );
}

export function BehaviourSection({ draft, update, errors }: SectionProps) {
  const number = (key: keyof JobDraft) => (event: React.ChangeEvent<HTMLInputElement>) => update({ [key]: event.target.value });
  return (
    <fieldset className="form-section">
      <legend>Behaviour</legend>
      <div className="checkbox-field">
        <input id="job-enabled" type="checkbox" checked={draft.enabled} onChange={(event) => update({ enabled: event.target.checked })} aria-describedby="job-enabled-hint" />
        <label htmlFor="job-enabled">Enabled</label>
        <p className="hint" id="job-enabled-hint">
          A disabled job keeps its schedule but does not fire; Run now still works.
        </p>
      </div>
      <div className="field-grid">
        <Field id="job-overlap" label="Overlap policy" errors={errors.overlapPolicy} hint={OVERLAP_HINTS[draft.overlapPolicy]}>
          {(control) => (
            <select {...control} value={draft.overlapPolicy} onChange={(event) => update({ overlapPolicy: event.target.value as JobDraft["overlapPolicy"] })}>
              {OVERLAP_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {policy}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="job-misfire" label="Misfire policy" errors={errors.misfirePolicy} hint={MISFIRE_HINTS[draft.misfirePolicy]}>
          {(control) => (
            <select {...control} value={draft.misfirePolicy} onChange={(event) => update({ misfirePolicy: event.target.value as JobDraft["misfirePolicy"] })}>
              {MISFIRE_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {policy.replace("_", " ")}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="job-timeout" label="Timeout (seconds)" errors={errors.timeoutSeconds} hint="A run still going after this is stopped: 1 s to 7 days.">
          {(control) => <input {...control} type="number" min={1} max={604800} inputMode="numeric" value={draft.timeoutSeconds} onChange={number("timeoutSeconds")} />}
        </Field>
        <Field id="job-attempts" label="Max attempts" errors={errors.maxAttempts} hint="1 means no retries; at most 25.">
          {(control) => <input {...control} type="number" min={1} max={25} inputMode="numeric" value={draft.maxAttempts} onChange={number("maxAttempts")} />}
        </Field>
        <Field id="job-backoff" label="Retry backoff (seconds)" errors={errors.retryBackoffSeconds} hint="Wait before the first retry; it doubles for each further one, with jitter.">
          {(control) => <input {...control} type="number" min={1} max={86400} inputMode="numeric" value={draft.retryBackoffSeconds} onChange={number("retryBackoffSeconds")} />}
        </Field>
        <Field id="job-pause" label="Pause after failures" errors={errors.pauseAfterFailures} hint="Stop scheduling after this many failed runs in a row; 0 never pauses.">
          {(control) => <input {...control} type="number" min={0} max={1000} inputMode="numeric" value={draft.pauseAfterFailures} onChange={number("pauseAfterFailures")} />}
        </Field>
      </div>
    </fieldset>
  );
}


export function ChainsSection({ draft, update, errors, selfId }: SectionProps & { selfId?: string }) {
  return (
    <fieldset className="form-section">
      <legend>Chains</legend>
      <ChainPicker
        id="job-on-success"
        label="When a run succeeds, run"
        hint="Each job listed gets one run (trigger chain) when a run of this job succeeds."
        value={draft.onSuccess}
        onChange={(onSuccess) => update({ onSuccess })}
        errors={errors.onSuccess}
        selfId={selfId}
      />
      <ChainPicker
        id="job-on-failure"
        label="When a run fails for good, run"
        hint="Each job listed gets one run when a run of this job fails with no attempts left."
        value={draft.onFailure}
        onChange={(onFailure) => update({ onFailure })}
        errors={errors.onFailure}
        selfId={selfId}
      />
    </fieldset>
  );
}
