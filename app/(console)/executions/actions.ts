"use server";
// The console's execution mutations: the same schemas and services as /api/executions and
// /api/enqueue, through lib/actions. Reads go through GET /api/executions/:id (a fetch, so they
// never queue behind these). Re-running a job's execution uses runJobAction (jobs/actions).
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { cancelExecution } from "@/lib/executions/cancel";
import { enqueue, EnqueueBody } from "@/lib/executions/enqueue";
import { toExecutionDto } from "@/lib/executions/serialize";
import { cleanupStalled } from "@/lib/engine/sweep";

const ExecutionRef = z.strictObject({ id: z.uuid() });
// Pages that list executions: the job pages (and /runs) under these paths re-render after a change.
const EXECUTION_PAGES = ["/jobs", "/runs"];

// Cancel: a queued execution ends at once; a running one is asked to stop (pending until its handler returns)
export const cancelExecutionAction = action(
  { name: "executions.cancel", role: "operator", input: ExecutionRef, revalidate: EXECUTION_PAGES },
  async ({ actor, input }) => {
    const { execution, pending } = await cancelExecution({ actor, input });
    return { execution: toExecutionDto(execution), pending };
  },
);

// Fail (or finish cancelling) RUNNING executions whose worker stopped heartbeating, now (admin)
export const cleanupStalledAction = action(
  { name: "executions.cleanup-stalled", role: "admin", input: z.strictObject({}), revalidate: EXECUTION_PAGES },
  ({ actor }) => cleanupStalled({ actor }),
);

// An ad-hoc run of a handler, no job; warns (without refusing) when another run of the type is active
export const enqueueAction = action({ name: "executions.enqueue", role: "operator", input: EnqueueBody, revalidate: EXECUTION_PAGES }, async ({ actor, input }) => {
  const { execution, warning } = await enqueue({ actor, input });
  return { execution: toExecutionDto(execution), ...(warning ? { warning } : {}) };
});
