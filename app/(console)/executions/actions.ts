"use server";
// The console's execution actions: the same schemas and services as /api/executions and
// /api/enqueue, through lib/actions. Re-running a job's execution uses runJobAction (jobs/actions).
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { hasRole } from "@/lib/auth/roles";
import { cancelExecution } from "@/lib/executions/cancel";
import { enqueue, EnqueueBody } from "@/lib/executions/enqueue";
import { getExecution } from "@/lib/executions/list";
import { toExecutionDto } from "@/lib/executions/serialize";

const ExecutionRef = z.strictObject({ id: z.uuid() });
// Pages that list executions: the job pages (and /runs) under these paths re-render after a change.
const EXECUTION_PAGES = ["/jobs", "/runs"];

// One execution, and whether the caller may cancel or re-run it (so the modal offers only what the server allows)
export const getExecutionAction = action({ name: "executions.get", role: "viewer", input: ExecutionRef }, async ({ actor, input }) => ({
  execution: await getExecution({ actor, input }),
  canOperate: hasRole(actor.role, "operator"),
}));

// Cancel: a queued execution ends at once; a running one is asked to stop (pending until its handler returns)
export const cancelExecutionAction = action(
  { name: "executions.cancel", role: "operator", input: ExecutionRef, revalidate: EXECUTION_PAGES },
  async ({ actor, input }) => {
    const { execution, pending } = await cancelExecution({ actor, input });
    return { execution: toExecutionDto(execution), pending };
  },
);

// An ad-hoc run of a handler, no job; warns (without refusing) when another run of the type is active
export const enqueueAction = action({ name: "executions.enqueue", role: "operator", input: EnqueueBody, revalidate: EXECUTION_PAGES }, async ({ actor, input }) => {
  const { execution, warning } = await enqueue({ actor, input });
  return { execution: toExecutionDto(execution), ...(warning ? { warning } : {}) };
});
