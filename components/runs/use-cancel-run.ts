"use client";
// Cancel from the monitor: the button turns into "Stopping..." at once; a queued run ends
// CANCELLED with the answer, a running one when its finish arrives on the stream (whichever comes
// first is announced, once, by the monitor); a refusal puts the button back and says why.
import { useAnnounce } from "@/components/ui/live-region";
import { toastActionError, describeActionError } from "@/components/jobs/action-feedback";
import { cancelExecutionAction } from "@/app/(console)/executions/actions";
import type { ActionResult } from "@/lib/actions/action";
import type { LiveRun } from "./active-runs";
import { shortId } from "./run-words";
import { useRunsStream } from "./runs-stream";

export function useCancelRun(): (run: LiveRun) => Promise<void> {
  const { dispatch } = useRunsStream();
  const announce = useAnnounce();
  return async (run) => {
    const name = `run ${shortId(run.id)} of "${run.jobName}"`;
    dispatch({ type: "cancel-sent", id: run.id });
    announce(`Stopping ${name}…`);
    const result = await cancelExecutionAction({ id: run.id }).catch(unreachable);
    if (!result.ok) {
      dispatch({ type: "cancel-failed", id: run.id });
      toastActionError(`Could not cancel ${name}`, result.error);
      announce(`Could not cancel ${name}. ${describeActionError(result.error)}`);
      return;
    }
    if (!result.data.pending) dispatch({ type: "finished", run: result.data.execution, at: Date.now() });
  };
}

/** The request itself failed (offline, server down): an answer like any other refusal. */
function unreachable(): ActionResult<never> {
  return { ok: false, error: { code: "INTERNAL", message: "The server could not be reached; check the connection and try again", retryable: true } };
}
