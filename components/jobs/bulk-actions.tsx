"use client";
// The jobs list's bulk actions: what is selected (rows of this page, or every job matching the
// filters), enable / disable / run now / delete after a confirmation that names the count, and
// the outcome: how many succeeded, and each job that failed with the reason.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAnnounce } from "@/components/ui/live-region";
import type { BulkBody, BulkResult, JobFilter } from "@/lib/jobs/schemas";
import { MAX_BULK } from "@/lib/jobs/schemas";
import { bulkJobsAction, lookupJobsAction } from "@/app/(console)/jobs/actions";
import { toastActionError } from "./action-feedback";

type Action = BulkBody["action"];

/** The selection: ids picked on this page, or every job the list's filters match. */
export type Selection = { kind: "ids"; ids: string[] } | { kind: "filter"; filter: JobFilter; count: number };

const WORDS: Record<Action, { label: string; done: string; verb: string; tone: "primary" | "danger" }> = {
  enable: { label: "Enable", done: "Enabled", verb: "enable", tone: "primary" },
  disable: { label: "Disable", done: "Disabled", verb: "disable", tone: "primary" },
  run: { label: "Run now", done: "Queued a run of", verb: "run", tone: "primary" },
  delete: { label: "Delete", done: "Deleted", verb: "delete", tone: "danger" },
};

const jobs = (count: number) => (count === 1 ? "1 job" : `${count} jobs`);
const countOf = (selection: Selection) => (selection.kind === "ids" ? selection.ids.length : selection.count);

interface Outcome {
  action: Action;
  result: BulkResult;
  names: Map<string, string>;
}

interface BulkActionsProps {
  selection: Selection;
  /** Jobs the filters match (all pages), and whether every row of this page is selected. */
  total: number;
  pageSelected: boolean;
  names: Map<string, string>;
  onSelectAllMatching: () => void;
  onClear: () => void;
}

export function BulkActions({ selection, total, pageSelected, names, onSelectAllMatching, onClear }: BulkActionsProps) {
  const router = useRouter();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, startBulk] = useTransition();
  const count = countOf(selection);

  const run = (action: Action) =>
    startBulk(async () => {
      setConfirming(null);
      const target = selection.kind === "ids" ? { ids: selection.ids } : { filter: selection.filter };
      const response = await bulkJobsAction({ action, ...target });
      if (!response.ok) return toastActionError(`Could not ${WORDS[action].verb} ${jobs(count)}`, response.error);
      const failedIds = response.data.results.filter((item) => !item.ok).map((item) => item.id);
      const known = new Map(names);
      const unknown = failedIds.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        const lookup = await lookupJobsAction({ ids: unknown.slice(0, 100) });
        if (lookup.ok) for (const job of lookup.data.named) known.set(job.id, job.name);
      }
      setOutcome({ action, result: response.data, names: known });
      const summary = `${WORDS[action].done} ${jobs(response.data.succeeded)}${response.data.failed ? `; ${response.data.failed} failed` : ""}`;
      (response.data.failed ? toast.warning : toast.success)(summary);
      announce(summary);
      onClear();
      router.refresh();
    });

  return (
    <div className="bulk-actions" data-testid="bulk-actions">
      {count > 0 ? (
        <div className="bulk-bar" role="group" aria-label="Bulk actions">
          <p className="bulk-count" data-testid="bulk-count">
            {selection.kind === "filter" ? `All ${jobs(count)} matching this filter selected` : `${jobs(count)} selected`}
          </p>
          {selection.kind === "ids" && pageSelected && total > count ? (
            <Button variant="secondary" size="small" onClick={onSelectAllMatching} disabled={total > MAX_BULK} title={total > MAX_BULK ? `At most ${MAX_BULK} at once; narrow the filters` : undefined}>
              Select all {total} matching this filter
            </Button>
          ) : null}
          <div className="toolbar-actions">
            {(Object.keys(WORDS) as Action[]).map((action) => (
              <Button key={action} variant={action === "delete" ? "danger" : "secondary"} size="small" busy={busy} onClick={() => setConfirming(action)}>
                {WORDS[action].label}
              </Button>
            ))}
            <Button variant="secondary" size="small" onClick={onClear}>
              Clear selection
            </Button>
          </div>
        </div>
      ) : null}
      {outcome ? <BulkOutcome outcome={outcome} onDismiss={() => setOutcome(null)} /> : null}
      {confirming ? (
        <ConfirmDialog
          title={`${WORDS[confirming].label} ${jobs(count)}?`}
          confirmLabel={`${WORDS[confirming].label} ${jobs(count)}`}
          tone={WORDS[confirming].tone}
          onCancel={() => setConfirming(null)}
          onConfirm={() => run(confirming)}
        >
          <p>
            This will {WORDS[confirming].verb} {selection.kind === "filter" ? `every job matching the current filters (${jobs(count)} now)` : `the ${jobs(count)} you selected`}, one
            by one, each recorded in the audit log.
            {confirming === "delete" ? " Their executions and audit history are kept." : ""}
          </p>
          <p className="muted">System-managed jobs can be run but not changed; they will be listed as failed.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function BulkOutcome({ outcome, onDismiss }: { outcome: Outcome; onDismiss: () => void }) {
  const { result, action, names } = outcome;
  const failures = result.results.filter((item) => !item.ok);
  return (
    <div className={`callout ${failures.length ? "warn" : "info"}`} role="status" data-testid="bulk-outcome">
      <p className="callout-title">
        {WORDS[action].done} {jobs(result.succeeded)}
        {failures.length ? `; ${failures.length} failed:` : "."}
      </p>
      {failures.length ? (
        <ul data-testid="bulk-failures">
          {failures.map((item) => (
            <li key={item.id}>
              <strong>{names.get(item.id) ?? item.id}</strong>: {item.error?.message} <code>{item.error?.code}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <Button variant="secondary" size="small" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  );
}
