"use client";
// The admin's "Clean up stalled": after a confirmation, the stalled sweep runs now (the same
// service as POST /api/executions/cleanup-stalled, audited there) and its report stays on screen.
import { useState } from "react";
import { ExecutionLink } from "@/components/executions/execution-link";
import { useSearchParams } from "next/navigation";
import { toast } from "sonner";
import { toastActionError } from "@/components/jobs/action-feedback";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAnnounce } from "@/components/ui/live-region";
import { cleanupStalledAction } from "@/app/(console)/executions/actions";
import { runDetailsHref } from "./run-href";
import { shortId } from "@/components/ui/short-id";

type Cleaned = { id: string; jobName: string; status: string }[];

export function useStalledCleanup() {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Cleaned | null>(null);
  const announce = useAnnounce();

  async function cleanUp() {
    setConfirming(false);
    setBusy(true);
    const result = await cleanupStalledAction({});
    setBusy(false);
    if (!result.ok) return toastActionError("Could not clean up stalled runs", result.error);
    const { cleaned } = result.data;
    setReport(cleaned);
    const summary = cleaned.length === 0 ? "Nothing to clean up: no run has stalled" : `Cleaned up ${cleaned.length} stalled run${cleaned.length === 1 ? "" : "s"}`;
    toast.success(summary);
    announce(summary);
  }

  const button = (
    <Button variant="secondary" size="small" busy={busy} onClick={() => setConfirming(true)}>
      {busy ? "Cleaning up…" : "Clean up stalled"}
    </Button>
  );
  const dialog = confirming ? (
    <ConfirmDialog title="Clean up stalled runs?" confirmLabel="Clean up" tone="primary" onConfirm={cleanUp} onCancel={() => setConfirming(false)}>
      <p>
        Running executions whose worker stopped sending heartbeats are marked failed (stalled), or cancelled when a cancel was asked for, and
        retried if they have attempts left. Healthy runs are not touched.
      </p>
    </ConfirmDialog>
  ) : null;
  const panel = report ? <CleanupReport cleaned={report} onDismiss={() => setReport(null)} /> : null;
  return { button, dialog, report: panel };
}

function CleanupReport({ cleaned, onDismiss }: { cleaned: Cleaned; onDismiss: () => void }) {
  const searchParams = useSearchParams();
  return (
    <div className="callout info runs-cleanup-report" data-testid="cleanup-report">
      {cleaned.length === 0 ? (
        <p className="callout-title">Nothing to clean up: no running execution has missed its heartbeats.</p>
      ) : (
        <>
          <p className="callout-title">
            Cleaned up {cleaned.length} stalled run{cleaned.length === 1 ? "" : "s"}:
          </p>
          <ul>
            {cleaned.map((run) => (
              <li key={run.id}>
                {run.jobName} —{" "}
                <ExecutionLink href={runDetailsHref(new URLSearchParams(searchParams), run.id)} label={`Details of run ${shortId(run.id)}`} className="mono">
                  {shortId(run.id)}
                </ExecutionLink>{" "}
                now {run.status.toLowerCase()}
              </li>
            ))}
          </ul>
        </>
      )}
      <Button variant="ghost" size="small" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  );
}
