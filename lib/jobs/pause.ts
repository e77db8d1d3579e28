// Pause a job until a time, and resume it. While paused the job keeps its schedule: the tick
// records each fire before `pausedUntil` as SKIPPED (PAUSED), so history has no silent gap, and
// the job fires normally once the time has passed. Run now still works.
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import type { JobDto } from "./schemas";
import { VersionBody } from "./schemas";
import { activePause, toJobDto } from "./serialize";
import { publishJobChanged } from "./events";
import { loadForChange, saveJob } from "./store";

export const PauseBody = VersionBody.extend({
  until: z.iso.datetime({ offset: true, message: "Use an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z" }).describe("Fires before this time are recorded SKIPPED (PAUSED)"),
});
export type PauseBody = z.infer<typeof PauseBody>;

export async function pauseJob({ actor, input }: { actor: Actor | null; input: { id: string; until: string; expectedVersion?: number } }): Promise<JobDto> {
  const editor = requireRole(actor, "operator");
  const until = new Date(input.until);
  if (until <= new Date()) {
    throw new DomainError("VALIDATION_FAILED", "Pause until a time in the future", {
      field: "until",
      details: [{ path: "until", message: "This time has already passed" }],
    });
  }
  return changePause(editor, input.id, until, input.expectedVersion);
}

/** Idempotent: resuming a job that is not paused changes nothing. */
export async function resumeJob({ actor, input }: { actor: Actor | null; input: { id: string; expectedVersion?: number } }): Promise<JobDto> {
  const editor = requireRole(actor, "operator");
  return changePause(editor, input.id, null, input.expectedVersion);
}

async function changePause(editor: Actor, id: string, until: Date | null, expectedVersion?: number): Promise<JobDto> {
  const db = await getPrisma();
  const { job, changed } = await db.$transaction(async (tx) => {
    const before = await loadForChange(tx, id, expectedVersion);
    const from = activePause(before);
    if ((from?.getTime() ?? null) === (until?.getTime() ?? null)) return { job: before, changed: false };
    const after = await saveJob(tx, before, { pausedUntil: until });
    await writeAudit(tx, {
      actor: editor,
      action: until ? "job.pause" : "job.resume",
      targetType: "job",
      targetId: after.id,
      summary: until ? `Paused job "${after.name}" until ${until.toISOString()}` : `Resumed job "${after.name}"`,
      changes: { pausedUntil: { from: from?.toISOString() ?? null, to: until?.toISOString() ?? null } },
    });
    return { job: after, changed: true };
  });
  if (changed) await publishJobChanged(job);
  return toJobDto(job);
}
