"use server";
// The runs page's mutations: the same services as POST /api/executions/:id/cancel and
// POST /api/executions/cleanup-stalled, through lib/actions.
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { cancelExecution } from "@/lib/executions/cancel";
import { toExecutionDto } from "@/lib/executions/serialize";
import { cleanupStalled } from "@/lib/executions/sweep-stalled";

const RUNS = ["/runs"];

// Cancel an execution: a queued one ends CANCELLED now, a running one is asked to stop (pending)
export const cancelExecutionAction = action(
  { name: "executions.cancel", role: "operator", input: z.strictObject({ id: z.uuid() }), revalidate: RUNS },
  async ({ actor, input }) => {
    const { execution, pending } = await cancelExecution({ actor, input });
    return { execution: toExecutionDto(execution), pending };
  },
);

// Fail (or finish cancelling) RUNNING executions whose worker stopped heartbeating, now (admin)
export const cleanupStalledAction = action(
  { name: "executions.cleanup-stalled", role: "admin", input: z.strictObject({}), revalidate: RUNS },
  ({ actor }) => cleanupStalled({ actor }),
);
