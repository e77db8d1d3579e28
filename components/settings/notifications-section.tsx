"use client";
// Settings → Notifications (admin): the channels with their events and jobs; add, edit, enable or
// disable, delete after a confirmation; "Send test" shows the endpoint's answer or the connection
// error under the row; "Deliveries" opens the channel's recent deliveries with their errors and a
// Retry for failed ones.
import { startTransition, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { useAnnounce } from "@/components/ui/live-region";
import { deleteChannelAction, testChannelAction, updateChannelAction } from "@/lib/actions/notifications";
import type { ChannelDto, TestResultDto } from "@/lib/notifications/schemas";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";
import { ChannelDialog, KIND_WORDS } from "./channel-dialog";
import { DeliveryLog } from "./delivery-log";
import { useDialog, useOptimisticRows } from "./row-actions";

type Dialog = { kind: "add" } | { kind: "edit"; channel: ChannelDto } | { kind: "delete"; channel: ChannelDto };

interface NotificationsSectionProps {
  channels: ChannelDto[];
  jobs: { id: string; name: string }[];
  emailAvailable: boolean;
  serverNow: number;
}

export function NotificationsSection({ channels, jobs, emailAvailable, serverNow }: NotificationsSectionProps) {
  const announce = useAnnounce();
  const [rows, change] = useOptimisticRows(channels);
  const [dialog, setDialog, close] = useDialog<Dialog>();
  const [tests, setTests] = useState<Record<string, TestResultDto | "sending">>({});
  const [open, setOpen] = useState<string | null>(null);
  const jobNames = new Map(jobs.map((job) => [job.id, job.name]));

  function setEnabled(channel: ChannelDto, enabled: boolean) {
    change({
      id: channel.id,
      changes: { enabled },
      save: () => updateChannelAction({ id: channel.id, enabled }),
      done: `${enabled ? "Enabled" : "Disabled"} channel "${channel.name}"`,
      failure: `Could not ${enabled ? "enable" : "disable"} "${channel.name}"`,
    });
  }

  function sendTest(channel: ChannelDto) {
    setTests((current) => ({ ...current, [channel.id]: "sending" }));
    startTransition(async () => {
      const result = await testChannelAction({ id: channel.id });
      if (!result.ok) {
        setTests(({ [channel.id]: _gone, ...rest }) => rest);
        toastActionError(`Could not test "${channel.name}"`, result.error);
        announce(`Could not test ${channel.name}. ${describeActionError(result.error)}`);
        return;
      }
      setTests((current) => ({ ...current, [channel.id]: result.data }));
      const words = testWords(result.data);
      if (result.data.ok) toast.success(`Test sent to "${channel.name}"`, { description: words });
      else toast.error(`Test to "${channel.name}" failed`, { description: words });
      announce(`Test to ${channel.name}: ${words}`);
    });
  }

  function remove(channel: ChannelDto) {
    startTransition(async () => {
      const result = await deleteChannelAction({ id: channel.id });
      if (!result.ok) {
        toastActionError(`Could not delete "${channel.name}"`, result.error);
        announce(`Could not delete ${channel.name}. ${describeActionError(result.error)}`);
        return;
      }
      toast.success(`Deleted channel "${channel.name}"`);
      announce(`Deleted channel ${channel.name}`);
    });
  }

  return (
    <section aria-labelledby="notifications-title" className="settings-section" data-testid="notifications-section">
      <div className="toolbar">
        <h2 id="notifications-title">Notifications</h2>
        <Button onClick={() => setDialog({ kind: "add" })}>
          <span aria-hidden="true">+ </span>Add channel
        </Button>
      </div>
      <p className="muted">
        Channels are told when runs fail with no attempts left, recover, get paused, are skipped or start late. Deliveries are retried up to 5 times.
        {emailAvailable ? null : " Email channels need SMTP_URL."}
      </p>
      {rows.length === 0 ? (
        <div className="empty" data-testid="channels-empty">
          <p>No channels yet. Add a webhook, a Slack incoming webhook or an email address.</p>
        </div>
      ) : (
        <DataTable className="settings-table channels-table" caption="Notification channels, by name" columns={["Name", "Kind and target", "Events", "Jobs", "Status", { hidden: "Actions" }]}>
          {rows.flatMap((channel) => {
            const test = tests[channel.id];
            const row = (
              <tr key={channel.id} data-channel-id={channel.id} aria-busy={channel.saving || undefined} className={channel.saving ? "pending" : undefined}>
                <td className="cell-channel-name">{channel.name}</td>
                <td>
                  <span className="muted small">{KIND_WORDS[channel.kind]}</span>
                  <br />
                  <code className="channel-target">{channel.target}</code>
                </td>
                <td>{channel.events.join(", ")}</td>
                <td>
                  {channel.jobIds === null ? (
                    "All jobs"
                  ) : (
                    <span title={channel.jobIds.map((id) => jobNames.get(id) ?? id).join(", ")}>
                      {channel.jobIds.length === 1 ? (jobNames.get(channel.jobIds[0]) ?? "1 job") : `${channel.jobIds.length} jobs`}
                    </span>
                  )}
                </td>
                <td>
                  {channel.enabled ? (
                    <Badge tone="ok" icon="✓">
                      Enabled
                    </Badge>
                  ) : (
                    <Badge tone="muted" icon="⊘">
                      Disabled
                    </Badge>
                  )}
                </td>
                <td className="cell-actions">
                  <div className="row-buttons">
                    <Button variant="secondary" size="small" busy={test === "sending"} onClick={() => sendTest(channel)}>
                      {test === "sending" ? "Sending…" : "Send test"}
                      <span className="sr-only"> to {channel.name}</span>
                    </Button>
                    <Button variant="secondary" size="small" aria-expanded={open === channel.id} onClick={() => setOpen(open === channel.id ? null : channel.id)}>
                      Deliveries<span className="sr-only"> of {channel.name}</span>
                    </Button>
                    <Button variant="secondary" size="small" onClick={() => setDialog({ kind: "edit", channel })}>
                      Edit<span className="sr-only"> {channel.name}</span>
                    </Button>
                    <Button variant="secondary" size="small" onClick={() => setEnabled(channel, !channel.enabled)}>
                      {channel.enabled ? "Disable" : "Enable"}
                      <span className="sr-only"> {channel.name}</span>
                    </Button>
                    <Button variant="danger" size="small" onClick={() => setDialog({ kind: "delete", channel })}>
                      Delete<span className="sr-only"> {channel.name}</span>
                    </Button>
                  </div>
                </td>
              </tr>
            );
            const extra = [];
            if (test && test !== "sending") {
              extra.push(
                <tr key={`${channel.id}-test`} className="channel-detail-row">
                  <td colSpan={6}>
                    <p className={`callout ${test.ok ? "info" : "danger"}`} data-testid="test-result" role="status">
                      <strong>{test.ok ? "Test delivered" : "Test failed"}</strong> ({test.durationMs} ms): {testWords(test)}
                    </p>
                  </td>
                </tr>,
              );
            }
            if (open === channel.id) {
              extra.push(
                <tr key={`${channel.id}-deliveries`} className="channel-detail-row">
                  <td colSpan={6}>
                    <DeliveryLog channel={channel} serverNow={serverNow} refreshKey={test && test !== "sending" ? test.delivery.id : ""} />
                  </td>
                </tr>,
              );
            }
            return [row, ...extra];
          })}
        </DataTable>
      )}
      {dialog?.kind === "add" ? <ChannelDialog jobs={jobs} emailAvailable={emailAvailable} onClose={close} /> : null}
      {dialog?.kind === "edit" ? <ChannelDialog editing={dialog.channel} jobs={jobs} emailAvailable={emailAvailable} onClose={close} /> : null}
      {dialog?.kind === "delete" ? (
        <ConfirmDialog
          title={`Delete channel "${dialog.channel.name}"?`}
          confirmLabel="Delete channel"
          onCancel={close}
          onConfirm={() => {
            close();
            remove(dialog.channel);
          }}
        >
          <p>Its delivery log goes with it, and deliveries still waiting are not sent. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** "The endpoint answered 200", or why it failed. */
function testWords(result: TestResultDto): string {
  if (result.ok) return result.status === null ? "the mail server accepted it" : `the endpoint answered ${result.status}`;
  return result.error ?? "it failed";
}
