"use client";
// The schedule builder: cron with a time zone, an interval, one time, or manual only; the schedule
// in words and its next fire times update as you type.
import { useMemo } from "react";
import { Field } from "@/components/ui/field";
import { describeSchedule } from "@/lib/jobs/describe";
import { cronError } from "@/lib/jobs/schedule";
import { FireTimePreview } from "./fire-time-preview";
import type { FieldErrors } from "./field-errors";
import { INTERVAL_UNITS, scheduleFromDraft, type IntervalUnit, type JobDraft, type ScheduleType } from "./form-model";

const SCHEDULE_TYPES: { value: ScheduleType; label: string }[] = [
  { value: "cron", label: "Cron" },
  { value: "interval", label: "Interval" },
  { value: "once", label: "Once" },
  { value: "manual", label: "Manual" },
];

const CRON_PRESETS = [
  { label: "Every minute", expression: "* * * * *" },
  { label: "Every 15 minutes", expression: "*/15 * * * *" },
  { label: "Every hour", expression: "0 * * * *" },
  { label: "Every day at 02:00", expression: "0 2 * * *" },
  { label: "Weekdays at 09:00", expression: "0 9 * * 1-5" },
  { label: "Mondays at 06:00", expression: "0 6 * * 1" },
  { label: "First of the month at 00:00", expression: "0 0 1 * *" },
];

interface ScheduleFieldsProps {
  draft: JobDraft;
  update: (changes: Partial<JobDraft>) => void;
  errors: FieldErrors;
  browserZone: string;
}

export function ScheduleFields({ draft, update, errors, browserZone }: ScheduleFieldsProps) {
  const built = scheduleFromDraft(draft);
  const schedule = "schedule" in built ? built.schedule : null;
  const cronProblem = draft.scheduleType === "cron" ? cronError(draft.cronExpression, draft.timezone) : null;
  const problem = "message" in built ? built.message : cronProblem;

  return (
    <fieldset className="form-section">
      <legend>Schedule</legend>
      <fieldset className="segmented" id="job-schedule-type">
        <legend className="field-legend">How it runs</legend>
        <div className="segmented-options">
          {SCHEDULE_TYPES.map((option) => (
            <label key={option.value} className="segmented-option">
              <input
                type="radio"
                name="scheduleType"
                value={option.value}
                checked={draft.scheduleType === option.value}
                onChange={() => update({ scheduleType: option.value })}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      </fieldset>

      {draft.scheduleType === "cron" ? <CronFields draft={draft} update={update} errors={errors} problem={cronProblem} browserZone={browserZone} /> : null}
      {draft.scheduleType === "interval" ? <IntervalFields draft={draft} update={update} errors={errors} /> : null}
      {draft.scheduleType === "once" ? <OnceFields draft={draft} update={update} errors={errors} browserZone={browserZone} /> : null}

      {schedule && !problem ? (
        <p className="schedule-words" data-testid="schedule-words">
          {describeSchedule(schedule)}
        </p>
      ) : null}
      {errors.schedule?.length ? (
        <ul className="field-errors">
          {errors.schedule.map((message) => (
            <li key={message}>
              <span aria-hidden="true">⚠ </span>
              {message}
            </li>
          ))}
        </ul>
      ) : null}
      <FireTimePreview schedule={schedule} problem={problem} />
    </fieldset>
  );
}

function CronFields({ draft, update, errors, problem, browserZone }: Omit<ScheduleFieldsProps, "errors"> & { errors: FieldErrors; problem: string | null }) {
  const zones = useTimezones(draft.timezone, browserZone);
  return (
    <div className="field-row">
      <Field
        id="job-cron"
        label="Cron expression"
        errors={errors["schedule.expression"]}
        hint={
          problem ? (
            <span className="hint-problem">Not valid yet: {problem}</span>
          ) : (
            "Minute, hour, day of month, month, day of week; 6 fields put seconds first."
          )
        }
        className="grow"
        actions={
          <select
            aria-label="Common schedules"
            className="compact-select"
            value=""
            onChange={(event) => event.target.value && update({ cronExpression: event.target.value })}
          >
            <option value="">Common schedules…</option>
            {CRON_PRESETS.map((preset) => (
              <option key={preset.expression} value={preset.expression}>
                {preset.label} ({preset.expression})
              </option>
            ))}
          </select>
        }
      >
        {(control) => (
          <input
            {...control}
            className="mono"
            value={draft.cronExpression}
            onChange={(event) => update({ cronExpression: event.target.value })}
            spellCheck={false}
            autoComplete="off"
          />
        )}
      </Field>
      <Field id="job-timezone" label="Time zone" errors={errors["schedule.timezone"]} hint="Fire times follow this zone's clock, DST included.">
        {(control) => (
          <select {...control} value={draft.timezone} onChange={(event) => update({ timezone: event.target.value })}>
            {zones.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.zones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll("_", " ")}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

function IntervalFields({ draft, update, errors }: Pick<ScheduleFieldsProps, "draft" | "update" | "errors">) {
  return (
    <div className="field-row">
      <Field id="job-every" label="Every" errors={errors["schedule.everySeconds"]} hint="Counted from when the job is saved or enabled." className="grow">
        {(control) => (
          <input {...control} type="number" min={1} inputMode="numeric" value={draft.intervalValue} onChange={(event) => update({ intervalValue: event.target.value })} />
        )}
      </Field>
      <Field id="job-every-unit" label="Unit">
        {(control) => (
          <select {...control} value={draft.intervalUnit} onChange={(event) => update({ intervalUnit: event.target.value as IntervalUnit })}>
            {Object.keys(INTERVAL_UNITS).map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

function OnceFields({ draft, update, errors, browserZone }: Pick<ScheduleFieldsProps, "draft" | "update" | "errors" | "browserZone">) {
  const at = new Date(draft.onceAt);
  const utc = Number.isNaN(at.getTime()) ? null : at.toISOString().replace("T", " ").slice(0, 16);
  return (
    <Field id="job-at" label="At" errors={errors["schedule.at"]} hint={`In your time zone (${browserZone})${utc ? `; that is ${utc} UTC` : ""}.`}>
      {(control) => <input {...control} type="datetime-local" value={draft.onceAt} onChange={(event) => update({ onceAt: event.target.value })} />}
    </Field>
  );
}

interface ZoneGroup {
  label: string;
  zones: string[];
}

/** Every IANA zone the browser knows, grouped by region, with UTC and the browser's own zone first. */
function useTimezones(current: string, browserZone: string): ZoneGroup[] {
  return useMemo(() => {
    const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    const common = [...new Set(["UTC", browserZone, current])];
    const byRegion = new Map<string, string[]>();
    for (const zone of all) {
      const region = zone.includes("/") ? zone.split("/")[0] : "Other";
      byRegion.set(region, [...(byRegion.get(region) ?? []), zone]);
    }
    return [{ label: "Common", zones: common }, ...[...byRegion].map(([label, zones]) => ({ label, zones }))];
  }, [current, browserZone]);
}
