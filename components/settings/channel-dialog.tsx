"use client";
// "Add channel" and "Edit channel": name, kind, target, the events it hears, every job or chosen
// ones, and whether it is on. A new channel's signing secret is then shown this once, with a Copy
// button: webhook receivers verify Tickwork-Signature with it.
import { useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { useAnnounce } from "@/components/ui/live-region";
import { Modal } from "@/components/ui/modal";
import { createChannelAction, updateChannelAction } from "@/lib/actions/notifications";
import { CHANNEL_EVENTS, CHANNEL_KINDS, EVENT_WORDS, type ChannelDto, type ChannelEvent, type ChannelKind, type CreatedChannelDto } from "@/lib/notifications/schemas";
import { FormDialog, useFormAction } from "./form-dialog";

const FIELDS = ["name", "kind", "target", "events", "jobIds", "enabled"] as const;
type FieldName = (typeof FIELDS)[number];

export const KIND_WORDS: Record<ChannelKind, string> = { webhook: "Webhook (signed JSON)", slack: "Slack incoming webhook", email: "Email" };
const TARGET_HINTS: Record<ChannelKind, string> = {
  webhook: "The URL Tickwork POSTs JSON to, signed with the channel's secret (Tickwork-Signature).",
  slack: "The incoming-webhook URL from Slack (Mattermost and Rocket.Chat work too).",
  email: "The address notifications are mailed to, through SMTP_URL.",
};

interface Draft {
  name: string;
  kind: ChannelKind;
  target: string;
  events: ChannelEvent[];
  watchAll: boolean;
  jobIds: string[];
  enabled: boolean;
}

interface ChannelDialogProps {
  editing?: ChannelDto;
  jobs: { id: string; name: string }[];
  emailAvailable: boolean;
  onClose: () => void;
}

export function ChannelDialog({ editing, jobs, emailAvailable, onClose }: ChannelDialogProps) {
  const announce = useAnnounce();
  const nameRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<Draft>(() => ({
    name: editing?.name ?? "",
    kind: editing?.kind ?? "webhook",
    target: editing?.target ?? "",
    events: editing?.events ?? ["failed", "paused"],
    watchAll: editing ? editing.jobIds === null : true,
    jobIds: editing?.jobIds ?? [],
    enabled: editing?.enabled ?? true,
  }));
  const [created, setCreated] = useState<CreatedChannelDto | null>(null);
  const { state, submit, pending } = useFormAction<FieldName, Draft, ChannelDto | CreatedChannelDto>({
    fields: FIELDS,
    action: (value) => {
      const input = { name: value.name, kind: value.kind, target: value.target, events: value.events, jobIds: value.watchAll ? null : value.jobIds, enabled: value.enabled };
      return editing ? updateChannelAction({ id: editing.id, ...input }) : createChannelAction(input);
    },
    failure: editing ? `Could not save "${editing.name}"` : "Could not add the channel",
    placement: { fieldFor: (path) => ((FIELDS as readonly string[]).includes(path.split(".")[0]) ? (path.split(".")[0] as FieldName) : "form") },
    onSaved: (channel) => {
      const message = editing ? `Saved channel "${channel.name}"` : `Added channel "${channel.name}"`;
      toast.success(message);
      announce(message);
      if ("secret" in channel) setCreated(channel);
      else onClose();
    },
  });
  if (created) return <ChannelCreated channel={created} onClose={onClose} />;
  const errors = state.errors;
  const toggleEvent = (event: ChannelEvent, on: boolean) =>
    setDraft({ ...draft, events: on ? CHANNEL_EVENTS.filter((e) => e === event || draft.events.includes(e)) : draft.events.filter((e) => e !== event) });

  return (
    <FormDialog
      title={editing ? `Edit channel "${editing.name}"` : "Add channel"}
      formId="channel-form"
      submitLabel={editing ? "Save channel" : "Add channel"}
      pendingLabel="Saving…"
      pending={pending}
      formErrors={errors.form}
      initialFocus={nameRef}
      onSubmit={() => submit(draft)}
      onClose={onClose}
    >
      <Field id="channel-name" label="Name" hint="What people see in the delivery log, e.g. Ops on-call." errors={errors.name}>
        {(control) => <input {...control} ref={nameRef} maxLength={200} autoComplete="off" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />}
      </Field>
      <Field
        id="channel-kind"
        label="Kind"
        hint={emailAvailable ? undefined : "Email needs a mail server: set SMTP_URL and restart Tickwork."}
        errors={errors.kind}
      >
        {(control) => (
          <select {...control} value={draft.kind} onChange={(event) => setDraft({ ...draft, kind: event.target.value as ChannelKind })}>
            {CHANNEL_KINDS.map((kind) => (
              <option key={kind} value={kind} disabled={kind === "email" && !emailAvailable && draft.kind !== "email"}>
                {KIND_WORDS[kind]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="channel-target" label={draft.kind === "email" ? "Email address" : "URL"} hint={TARGET_HINTS[draft.kind]} errors={errors.target}>
        {(control) => (
          <input
            {...control}
            className="mono"
            type={draft.kind === "email" ? "email" : "url"}
            autoComplete="off"
            maxLength={2000}
            placeholder={draft.kind === "email" ? "oncall@example.com" : "https://hooks.example.com/tickwork"}
            value={draft.target}
            onChange={(event) => setDraft({ ...draft, target: event.target.value })}
          />
        )}
      </Field>
      <fieldset className="field channel-events" aria-describedby={errors.events ? "channel-events-error" : undefined}>
        <legend>Events</legend>
        {CHANNEL_EVENTS.map((event) => (
          <label key={event} className="checkbox-line">
            <input type="checkbox" checked={draft.events.includes(event)} onChange={(change) => toggleEvent(event, change.target.checked)} />
            <span>
              <strong>{event}</strong> <span className="muted small">{EVENT_WORDS[event]}</span>
            </span>
          </label>
        ))}
        {errors.events ? (
          <ul className="field-errors" id="channel-events-error">
            {errors.events.map((message) => (
              <li key={message}>⚠ {message}</li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <fieldset className="field channel-jobs">
        <legend>Jobs</legend>
        <label className="checkbox-line">
          <input type="radio" name="channel-watch" checked={draft.watchAll} onChange={() => setDraft({ ...draft, watchAll: true })} />
          <span>Every job, also jobs added later</span>
        </label>
        <label className="checkbox-line">
          <input type="radio" name="channel-watch" checked={!draft.watchAll} onChange={() => setDraft({ ...draft, watchAll: false })} />
          <span>Only these jobs</span>
        </label>
        {draft.watchAll ? null : <JobPicker jobs={jobs} selected={draft.jobIds} onChange={(jobIds) => setDraft({ ...draft, jobIds })} errors={errors.jobIds} />}
      </fieldset>
      <label className="checkbox-line">
        <input type="checkbox" checked={draft.enabled} onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })} />
        <span>Enabled</span>
      </label>
    </FormDialog>
  );
}

function JobPicker({ jobs, selected, onChange, errors }: { jobs: { id: string; name: string }[]; selected: string[]; onChange: (ids: string[]) => void; errors?: string[] }) {
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => jobs.filter((job) => job.name.toLowerCase().includes(filter.trim().toLowerCase())).slice(0, 200), [jobs, filter]);
  return (
    <div className="job-picker">
      <Field id="channel-job-filter" label="Find a job" hint={`${selected.length} selected`} errors={errors}>
        {(control) => <input {...control} type="search" autoComplete="off" value={filter} onChange={(event) => setFilter(event.target.value)} />}
      </Field>
      <ul className="job-picker-list" aria-label="Jobs to watch">
        {shown.map((job) => (
          <li key={job.id}>
            <label className="checkbox-line">
              <input
                type="checkbox"
                checked={selected.includes(job.id)}
                onChange={(event) => onChange(event.target.checked ? [...selected, job.id] : selected.filter((id) => id !== job.id))}
              />
              <span>{job.name}</span>
            </label>
          </li>
        ))}
        {shown.length === 0 ? <li className="muted">No job matches.</li> : null}
      </ul>
    </div>
  );
}

function ChannelCreated({ channel, onClose }: { channel: CreatedChannelDto; onClose: () => void }) {
  const fieldRef = useRef<HTMLInputElement>(null);
  return (
    <Modal title={`Channel "${channel.name}" added`} size="small" onClose={onClose} initialFocus={fieldRef} footer={<Button onClick={onClose}>Done</Button>}>
      <p className="callout warn" id="channel-secret-warning">
        <strong>Copy the signing secret now: it is shown only once.</strong>{" "}
        {channel.kind === "webhook" ? "Your receiver checks each request's Tickwork-Signature with it." : "Only webhook channels use it; keep it in case you switch this channel to a webhook."}
      </p>
      <div className="field">
        <label htmlFor="channel-secret">Signing secret</label>
        <div className="input-with-actions">
          <input
            id="channel-secret"
            ref={fieldRef}
            className="mono"
            readOnly
            value={channel.secret}
            aria-describedby="channel-secret-warning"
            onFocus={(event) => event.currentTarget.select()}
            data-testid="channel-secret"
          />
          <CopyButton value={channel.secret} what="the signing secret" fieldId="channel-secret" />
        </div>
      </div>
    </Modal>
  );
}
