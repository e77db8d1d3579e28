"use client";
import { useRef, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { IntentLink } from "@/components/ui/intent-link";
import { LockIcon } from "@/components/ui/lock-icon";
import { RelativeTime } from "@/components/ui/relative-time";
import { useHydrated } from "@/components/ui/clock";
import { describeSchedule } from "@/lib/jobs/describe";
import type { JobDto } from "@/lib/jobs/schemas";
import type { JobRow } from "./optimistic";
import { rawSchedule } from "./schedule-text";
import { EnabledBadge, HealthBadge, LastStatusBadge } from "./status-badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { isPaused, PausedNote } from "./paused";

export const SYSTEM_MANAGED_TITLE = "Managed by Tickwork; it cannot be changed";

interface JobsTableProps {
  rows: JobRow[];
  canEdit: boolean;
  serverNow: number;
  onOpen: (job: JobDto) => void;
  onDelete: (job: JobDto) => void;
  onToggle: (job: JobDto, enabled: boolean) => void;
  onRun: (job: JobDto) => Promise<void>;
  onReset: (job: JobDto) => void;
  onResume: (job: JobDto) => void;
  /** Bulk selection, for operators: the ids picked on this page. */
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
}

export function JobsTable({ rows, canEdit, serverNow, onOpen, onDelete, onToggle, onRun, onReset, onResume, selected, onSelect }: JobsTableProps) {
  // Server-rendered: a tick made before hydration would be lost, so the boxes wait for it.
  const hydrated = useHydrated();
  const selectable = rows.filter((row) => row.pending !== "creating");
  const allSelected = selectable.length > 0 && selectable.every((row) => selected.has(row.id));
  const columns: Column[] = ["Name", "Type", "Schedule", "Enabled", "Health", "Next run", "Last status", { hidden: "Actions" }];
  if (canEdit) {
    columns.unshift({
      key: "select",
      control: (
        <input
          type="checkbox"
          aria-label="Select every job on this page"
          checked={allSelected}
          disabled={!hydrated}
          onChange={(event) => onSelect(selectable.map((row) => row.id), event.target.checked)}
        />
      ),
    });
  }
  return (
    <DataTable className="jobs-table" caption="Jobs" columns={columns}>
      {rows.map((row) => (
        <tr key={row.id} aria-busy={row.pending ? true : undefined} className={row.pending ? "pending" : undefined} data-job-id={row.id}>
          {canEdit ? (
            <td className="cell-select">
              {row.pending === "creating" ? null : (
                <input type="checkbox" aria-label={`Select ${row.name}`} checked={selected.has(row.id)} disabled={!hydrated} onChange={(event) => onSelect([row.id], event.target.checked)} />
              )}
            </td>
          ) : null}
          <td data-label="Name" className="cell-name">
            <NameCell row={row} />
          </td>
          <td data-label="Type">
            <code>{row.type}</code>
          </td>
          <td data-label="Schedule" className="cell-schedule">
            <ScheduleCell schedule={row.schedule} />
          </td>
          <td data-label="Enabled">
            {canEdit && !row.systemManaged && row.pending !== "creating" ? (
              <EnabledSwitch row={row} onToggle={onToggle} />
            ) : (
              <EnabledBadge enabled={row.enabled} />
            )}
          </td>
          <td data-label="Health">
            <HealthBadge job={row} />
          </td>
          <td data-label="Next run">
            <NextRun row={row} serverNow={serverNow} />
          </td>
          <td data-label="Last status" className="cell-last">
            <LastStatusBadge status={row.lastStatus} />
            {row.lastRunAt ? (
              <span className="muted small">
                <RelativeTime iso={row.lastRunAt} serverNow={serverNow} />
              </span>
            ) : null}
          </td>
          <td data-label="Actions" className="cell-actions">
            {row.pending === "creating" ? (
              <span className="muted">Saving…</span>
            ) : (
              <RowActions row={row} canEdit={canEdit} serverNow={serverNow} onOpen={onOpen} onDelete={onDelete} onRun={onRun} onReset={onReset} onResume={onResume} />
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function NameCell({ row }: { row: JobRow }) {
  return (
    <>
      {row.pending === "creating" ? (
        <span className="job-name">{row.name}</span>
      ) : (
        <IntentLink href={`/jobs/${row.id}`} className="job-name">
          {row.name}
        </IntentLink>
      )}
      {row.systemManaged ? (
        <span className="badge tone-neutral system-badge" title={SYSTEM_MANAGED_TITLE}>
          <LockIcon />
          System<span className="sr-only">: {SYSTEM_MANAGED_TITLE}</span>
        </span>
      ) : null}
      {row.pending ? <span className="pending-note">{row.pending === "creating" ? "Creating…" : "Saving…"}</span> : null}
      {row.description ? <span className="job-description">{row.description}</span> : null}
    </>
  );
}

function ScheduleCell({ schedule }: { schedule: JobDto["schedule"] }) {
  const raw = rawSchedule(schedule);
  return (
    <>
      <span>{describeSchedule(schedule)}</span>
      {raw ? <code className="raw-schedule">{raw}</code> : null}
    </>
  );
}

function NextRun({ row, serverNow }: { row: JobRow; serverNow: number }) {
  if (isPaused(row, serverNow)) return <PausedNote pausedUntil={row.pausedUntil!} />;
  if (row.nextRunAt) return <RelativeTime iso={row.nextRunAt} serverNow={serverNow} />;
  const reason = !row.enabled
    ? "Not while disabled"
    : row.health === "failed"
      ? "Paused until reset"
      : row.schedule.type === "manual"
        ? "Only when run by hand"
        : row.schedule.type === "once"
          ? "Already fired"
          : "—";
  return <span className="muted">{reason}</span>;
}

function EnabledSwitch({ row, onToggle }: { row: JobRow; onToggle: (job: JobDto, enabled: boolean) => void }) {
  return (
    <button
      type="button"
      role="switch"
      className="switch"
      aria-checked={row.enabled}
      aria-label={`Enabled: ${row.name}`}
      aria-disabled={row.pending ? true : undefined}
      onClick={() => {
        // Not `disabled`: that would drop the keyboard focus of whoever just pressed it.
        if (!row.pending) onToggle(row, !row.enabled);
      }}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text">{row.enabled ? "Enabled" : "Disabled"}</span>
    </button>
  );
}

function RowActions({
  row,
  canEdit,
  serverNow,
  onOpen,
  onDelete,
  onRun,
  onReset,
  onResume,
}: Pick<JobsTableProps, "canEdit" | "serverNow" | "onOpen" | "onDelete" | "onRun" | "onReset" | "onResume"> & { row: JobRow }) {
  const [running, startRun] = useTransition();
  const openRef = useRef<HTMLButtonElement>(null);
  const busy = Boolean(row.pending);
  const editable = canEdit && !row.systemManaged;
  return (
    <div className="row-actions">
      {canEdit ? (
        <Button variant="secondary" size="small" busy={running || busy} onClick={() => startRun(() => onRun(row))}>
          {running ? "Queuing…" : "Run now"}
          <span className="sr-only"> {row.name}</span>
        </Button>
      ) : null}
      {editable && row.health === "failed" ? (
        <Button
          variant="secondary"
          size="small"
          busy={busy}
          onClick={() => {
            onReset(row);
            // Reset goes away with the failed state; keep the keyboard focus in the row.
            openRef.current?.focus();
          }}
        >
          Reset<span className="sr-only"> {row.name}</span>
        </Button>
      ) : null}
      {editable && isPaused(row, serverNow) ? (
        <Button
          variant="secondary"
          size="small"
          busy={busy}
          onClick={() => {
            onResume(row);
            openRef.current?.focus();
          }}
        >
          Resume<span className="sr-only"> {row.name}</span>
        </Button>
      ) : null}
      <Button ref={openRef} variant="secondary" size="small" busy={busy} onClick={() => onOpen(row)}>
        {editable ? "Edit" : "View"}
        <span className="sr-only"> {row.name}</span>
      </Button>
      {editable ? (
        <Button variant="danger" size="small" busy={busy} onClick={() => onDelete(row)}>
          Delete<span className="sr-only"> {row.name}</span>
        </Button>
      ) : null}
    </div>
  );
}
