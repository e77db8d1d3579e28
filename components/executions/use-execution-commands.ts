"use client";
// What an operator can do from the details modal: re-run with the same params (a job's run again
// through run-now, an ad-hoc run through enqueue) and cancel while it is queued or running.
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { useAnnounce } from "@/components/ui/live-region";
import type { ActionError } from "@/lib/actions/action";
import type { ExecutionDto } from "@/lib/executions/schemas";
import { cancelExecutionAction, enqueueAction } from "@/app/(console)/executions/actions";
import { runJobAction } from "@/app/(console)/jobs/actions";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";

/** Shown inside the modal too: toasts sit behind a modal dialog's backdrop. */
export type CommandNotice =
  | { kind: "queued"; executionId: string; warning?: string }
  | { kind: "error"; message: string };

export function useExecutionCommands(execution: ExecutionDto, update: (changes: Partial<ExecutionDto>) => void) {
  const announce = useAnnounce();
  // Kept with the id they are about, so switching the modal to another run starts clean.
  const [notice, setNoticeFor] = useState<{ id: string; notice: CommandNotice | null }>({ id: execution.id, notice: null });
  const [cancelAskedFor, setCancelAskedFor] = useState<string | null>(null);
  const [rerunning, startRerun] = useTransition();
  const [cancelling, startCancel] = useTransition();
  const setNotice = (next: CommandNotice | null) => setNoticeFor({ id: execution.id, notice: next });

  function failed(headline: string, error: ActionError) {
    toastActionError(headline, error);
    setNotice({ kind: "error", message: `${headline}: ${describeActionError(error)}` });
    announce(`${headline}. ${describeActionError(error)}`);
  }

  const rerun = () =>
    startRerun(async () => {
      setNotice(null);
      const result = execution.jobId
        ? await runJobAction({ id: execution.jobId, params: execution.params })
        : await enqueueAction({ type: execution.type, params: execution.params });
      if (!result.ok) return failed("Could not re-run", result.error);
      const { execution: queued, warning } = result.data;
      toast.success(`Queued a new run of ${runName(execution)}`, { description: `Execution ${queued.id}` });
      if (warning) toast.warning(`${runName(execution)} was already running`, { description: `${warning.message}. This run was queued anyway.` });
      setNotice({ kind: "queued", executionId: queued.id, warning: warning?.message });
      announce(`Queued a new run, execution ${queued.id}`);
    });

  const cancel = () =>
    startCancel(async () => {
      setNotice(null);
      setCancelAskedFor(execution.id);
      const running = execution.status === "RUNNING";
      // Shown at once; the server's answer (or the revert below) replaces it.
      if (running) update({ cancelRequested: true });
      const result = await cancelExecutionAction({ id: execution.id });
      if (!result.ok) {
        setCancelAskedFor(null);
        update({ cancelRequested: execution.cancelRequested });
        return failed("Could not cancel", result.error);
      }
      update(result.data.execution);
      const message = result.data.pending ? `Asked ${runName(execution)} to stop` : `Cancelled ${runName(execution)}`;
      toast.success(message);
      announce(message);
    });

  return {
    notice: notice.id === execution.id ? notice.notice : null,
    rerun,
    rerunning,
    cancel,
    cancelling,
    /** True once cancel was pressed here, so the button can end as "Cancelled" rather than vanish under the focus. */
    cancelAsked: cancelAskedFor === execution.id,
  };
}

export const runName = (execution: Pick<ExecutionDto, "jobId" | "jobName" | "type">) => (execution.jobId ? `"${execution.jobName}"` : execution.type);
