"use client";
// The jobs table with its modals. Every change shows at once through useOptimistic and is
// replaced by the server's rows when the action (which revalidates /jobs) returns.
import { startTransition, useCallback, useOptimistic, useState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import type { Definition } from "@/lib/handlers/registry";
import type { JobDto, JobFilter } from "@/lib/jobs/schemas";
import { BulkActions, type Selection } from "./bulk-actions";
import { RunJobButton } from "@/components/executions/run-job-modal";
import { JobForm } from "./job-form";
import { useJobMutations } from "./use-job-mutations";
import { JobsTable, SYSTEM_MANAGED_TITLE } from "./jobs-table";
import { applyOptimistic, type JobRow } from "./optimistic";
import { DeleteJobDialog } from "./delete-job-dialog";

type Dialog =
  | { kind: "create" }
  | { kind: "edit"; job: JobDto; key: string }
  | { kind: "view"; job: JobDto }
  | { kind: "delete"; job: JobDto };

interface JobsViewProps {
  jobs: JobDto[];
  total: number;
  canEdit: boolean;
  definitions: Definition[];
  serverNow: number;
  /** Why the list is empty when it is: filters, a page past the end, or no jobs at all. */
  emptyBecause: "filters" | "page" | "none";
  firstPageHref: string;
  /** The list's filters, for a bulk action on every job they match. */
  filter: JobFilter;
}

export function JobsView({ jobs, total, canEdit, definitions, serverNow, emptyBecause, firstPageHref, filter }: JobsViewProps) {
  const [rows, addOptimistic] = useOptimistic<JobRow[], Parameters<typeof applyOptimistic>[1]>(jobs, applyOptimistic);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = useCallback(() => setDialog(null), []);
  const mutations = useJobMutations(addOptimistic);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  // Only rows still listed count: a job deleted meanwhile drops out of the selection.
  const selectedIds = rows.filter((row) => picked.has(row.id)).map((row) => row.id);
  const selection: Selection = allMatching ? { kind: "filter", filter, count: total } : { kind: "ids", ids: selectedIds };
  const select = (ids: string[], on: boolean) => {
    setAllMatching(false);
    setPicked((current) => {
      const next = new Set(current);
      for (const id of ids) (on ? next.add(id) : next.delete(id));
      return next;
    });
  };
  const clearSelection = () => {
    setPicked(new Set());
    setAllMatching(false);
  };

  const openJob = (job: JobDto) => setDialog(canEdit && !job.systemManaged ? { kind: "edit", job, key: `${job.id}@${job.version}` } : { kind: "view", job });

  return (
    <section aria-label="Job list" className="jobs-view">
      <div className="toolbar">
        <p className="muted" data-testid="job-count">
          {total === 1 ? "1 job" : `${total} jobs`}
        </p>
        {canEdit ? (
          <div className="toolbar-actions">
            <RunJobButton definitions={definitions} />
            <Button onClick={() => setDialog({ kind: "create" })} data-testid="new-job">
              <span aria-hidden="true">+ </span>New job
            </Button>
          </div>
        ) : null}
      </div>

      {canEdit ? (
        <BulkActions
          selection={selection}
          total={total}
          pageSelected={rows.length > 0 && rows.every((row) => row.pending === "creating" || picked.has(row.id))}
          names={new Map(rows.map((row) => [row.id, row.name]))}
          onSelectAllMatching={() => setAllMatching(true)}
          onClear={clearSelection}
        />
      ) : null}

      {rows.length === 0 ? (
        <EmptyState because={emptyBecause} canEdit={canEdit} firstPageHref={firstPageHref} onCreate={() => setDialog({ kind: "create" })} />
      ) : (
        <JobsTable
          rows={rows}
          canEdit={canEdit}
          serverNow={serverNow}
          onOpen={openJob}
          onDelete={(job) => setDialog({ kind: "delete", job })}
          onToggle={mutations.setEnabled}
          onRun={mutations.run}
          onReset={mutations.reset}
          onResume={mutations.resume}
          selected={allMatching ? new Set(rows.map((row) => row.id)) : picked}
          onSelect={select}
        />
      )}

      {dialog?.kind === "create" ? (
        <JobForm mode="create" definitions={definitions} onClose={close} onReload={close} onOptimistic={addOptimistic} />
      ) : null}
      {dialog?.kind === "edit" ? (
        <JobForm
          key={dialog.key}
          mode="edit"
          job={dialog.job}
          definitions={definitions}
          onClose={close}
          onReload={(job) => setDialog({ kind: "edit", job, key: `${job.id}@${job.version}` })}
          onOptimistic={addOptimistic}
        />
      ) : null}
      {dialog?.kind === "view" ? (
        <JobForm
          mode="view"
          job={dialog.job}
          definitions={definitions}
          readOnlyReason={dialog.job.systemManaged ? `${SYSTEM_MANAGED_TITLE}. You can still run it now.` : "You have the viewer role: you can look, not change."}
          onClose={close}
          onReload={close}
          onOptimistic={addOptimistic}
        />
      ) : null}
      {dialog?.kind === "delete" ? (
        <DeleteJobDialog
          job={dialog.job}
          onCancel={close}
          onConfirm={() => {
            // One transition for both, so the dialog closes in the same commit that removes the
            // row, and focus goes to the heading rather than to a button that is about to vanish.
            startTransition(() => {
              close();
              mutations.remove(dialog.job);
            });
          }}
        />
      ) : null}
    </section>
  );
}

function EmptyState({ because, canEdit, firstPageHref, onCreate }: { because: JobsViewProps["emptyBecause"]; canEdit: boolean; firstPageHref: string; onCreate: () => void }) {
  if (because === "filters") {
    return (
      <div className="empty" data-testid="empty-state">
        <p>No jobs match your search and filters.</p>
        <Link href="/jobs">Clear filters</Link>
      </div>
    );
  }
  if (because === "page") {
    return (
      <div className="empty" data-testid="empty-state">
        <p>This page is past the end of the list.</p>
        <Link href={firstPageHref}>Go to the first page</Link>
      </div>
    );
  }
  return (
    <div className="empty" data-testid="empty-state">
      <p>No jobs yet.</p>
      {canEdit ? (
        <Button onClick={onCreate}>Create the first job</Button>
      ) : (
        <p className="muted">Operators and admins can create jobs; you have the viewer role.</p>
      )}
    </div>
  );
}
