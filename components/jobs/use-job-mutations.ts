"use client";
// The row actions of the jobs table: enable/disable, delete and run now, each a server action
// with instant feedback, a toast for the outcome and a line in the aria-live region.
import { startTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useAnnounce } from "@/components/ui/live-region";
import { showExecution, TOAST_WITH_ACTION_MS } from "@/components/executions/execution-href";
import type { ActionError } from "@/lib/actions/action";
import type { JobDto } from "@/lib/jobs/schemas";
import { deleteJobAction, pauseJobAction, resetJobAction, resumeJobAction, runJobAction, setJobEnabledAction } from "@/app/(console)/jobs/actions";
import { formatUtc } from "@/components/ui/time-format";
import { describeActionError, toastActionError } from "./action-feedback";
import type { OptimisticChange } from "./optimistic";

export interface JobMutations {
  setEnabled: (job: JobDto, enabled: boolean) => void;
  remove: (job: JobDto) => void;
  reset: (job: JobDto) => void;
  /** Resolves when the outcome is known; callers show their own busy state meanwhile. */
  run: (job: JobDto) => Promise<void>;
  /** Resolves with the server's error, if any, for the dialog that asked (it shows it by its field). */
  pause: (job: JobDto, until: string) => Promise<ActionError | null>;
  resume: (job: JobDto) => void;
}

export function useJobMutations(addOptimistic: (change: OptimisticChange) => void): JobMutations {
  const router = useRouter();
  const announce = useAnnounce();

  function failed(verb: string, job: JobDto, error: ActionError) {
    const stale = error.code === "CONFLICT" || error.code === "NOT_FOUND";
    const headline = `Could not ${verb} "${job.name}"`;
    const description = stale ? `${error.message}. The list now shows the latest state.` : describeActionError(error);
    toastActionError(headline, error, description);
    announce(`${headline}. ${description}`);
    // The row we acted on is out of date: show what the server holds now.
    if (stale) router.refresh();
  }

  return {
    setEnabled(job, enabled) {
      startTransition(async () => {
        addOptimistic({ kind: "patch", id: job.id, changes: { enabled } });
        const result = await setJobEnabledAction({ id: job.id, version: job.version, enabled });
        if (!result.ok) return failed(enabled ? "enable" : "disable", job, result.error);
        const message = `${enabled ? "Enabled" : "Disabled"} "${job.name}"`;
        toast.success(message);
        announce(message);
      });
    },

    remove(job) {
      startTransition(async () => {
        addOptimistic({ kind: "remove", id: job.id });
        announce(`Deleting "${job.name}"…`);
        const result = await deleteJobAction({ id: job.id, version: job.version });
        if (!result.ok) return failed("delete", job, result.error);
        const message = `Deleted "${job.name}"`;
        toast.success(message, { description: "Its executions and audit history are kept." });
        announce(message);
      });
    },

    reset(job) {
      startTransition(async () => {
        addOptimistic({ kind: "patch", id: job.id, changes: { health: "active" } });
        const result = await resetJobAction({ id: job.id, version: job.version });
        if (!result.ok) return failed("reset", job, result.error);
        const message = `Reset "${job.name}": it is scheduled again`;
        toast.success(message);
        announce(message);
      });
    },

    async pause(job, until) {
      const result = await pauseJobAction({ id: job.id, version: job.version, until });
      if (!result.ok) {
        if (result.error.field !== "until") failed("pause", job, result.error);
        return result.error;
      }
      const message = `Paused "${job.name}" until ${formatUtc(new Date(result.data.pausedUntil!))}`;
      toast.success(message, { description: "Its scheduled fires are recorded as skipped until then." });
      announce(message);
      return null;
    },

    resume(job) {
      startTransition(async () => {
        addOptimistic({ kind: "patch", id: job.id, changes: { pausedUntil: null } });
        const result = await resumeJobAction({ id: job.id, version: job.version });
        if (!result.ok) return failed("resume", job, result.error);
        const message = `Resumed "${job.name}": it runs on its schedule again`;
        toast.success(message);
        announce(message);
      });
    },

    async run(job) {
      const result = await runJobAction({ id: job.id });
      if (!result.ok) return failed("run", job, result.error);
      const { execution, warning } = result.data;
      toast.success(`Queued a run of "${job.name}"`, { description: `Execution ${execution.id}`, action: { label: "View", onClick: () => showExecution(execution.id) }, duration: TOAST_WITH_ACTION_MS });
      announce(`Queued a run of "${job.name}"`);
      if (warning) {
        toast.warning(`"${job.name}" was already running`, { description: `${warning.message}. This run was queued anyway.` });
      }
    },
  };
}
