// Cancel: a queued execution ends at once; a running one is asked to stop (its worker, on any
// instance, aborts the handler's signal). Repeating is harmless, also once it is CANCELLED; one that
// finished otherwise (SUCCEEDED, FAILED, SKIPPED) is INVALID_STATE.
import { getPrisma, type Execution } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError, notFound } from "@/lib/errors";
import { publish } from "@/lib/events/bus";
import { summarize } from "./summary";

export interface CancelResult {
  execution: Execution;
  /** True when the execution was running: it stops once its handler returns (202). */
  pending: boolean;
}

export async function cancelExecution({ actor, input }: { actor: Actor | null; input: { id: string } }): Promise<CancelResult> {
  const canceller = requireRole(actor, "operator");
  const db = await getPrisma();
  const result = await db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM executions WHERE id = ${input.id}::uuid FOR UPDATE`;
    if (!current) throw notFound("Execution");
    const execution = await tx.execution.findUniqueOrThrow({ where: { id: input.id } });
    if (execution.status === "RUNNING" && execution.cancelRequestedAt) return { execution, pending: true, changed: false };
    // Asking again after the cancel took effect (a double click, a client retry) gets the same answer, not an error.
    if (execution.status === "CANCELLED") return { execution, pending: false, changed: false };
    if (execution.status !== "QUEUED" && execution.status !== "RUNNING") {
      throw new DomainError("INVALID_STATE", `The execution already finished (${execution.status}); there is nothing to cancel`);
    }
    const now = new Date();
    const queued = execution.status === "QUEUED";
    const updated = await tx.execution.update({
      where: { id: execution.id },
      data: queued
        ? { status: "CANCELLED", finishedAt: now, cancelRequestedAt: now, cancelRequestedBy: canceller.name, errorCode: "CANCELLED", errorMessage: `Cancelled by ${canceller.name} before it started` }
        : { cancelRequestedAt: now, cancelRequestedBy: canceller.name },
    });
    await writeAudit(tx, {
      actor: canceller,
      action: "execution.cancel",
      targetType: "execution",
      targetId: execution.id,
      summary: queued ? `Cancelled queued run of "${execution.jobName}"` : `Asked running "${execution.jobName}" to stop`,
      changes: { status: { from: execution.status, to: updated.status }, cancelRequested: { from: false, to: true } },
    });
    return { execution: updated, pending: !queued, changed: true };
  });
  if (result.changed) {
    await publish({ name: result.pending ? "execution.cancel_requested" : "execution.finished", data: summarize(result.execution) });
  }
  return { execution: result.execution, pending: result.pending };
}
