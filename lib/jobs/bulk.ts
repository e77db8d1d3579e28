// Bulk actions: enable, disable, run or delete many jobs, named by id or by the list's filters.
// Each job goes through the single action's service in a transaction of its own, so the rules
// (system-managed, idempotent enable) and the audit event are the same as one by one, and one
// job's failure is reported in its result instead of undoing the others.
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { deleteJob } from "./delete";
import { jobFilterWhere } from "./list";
import { runJob } from "./run";
import { MAX_BULK, type BulkBody, type BulkResult, type JobFilter } from "./schemas";
import { setJobEnabled } from "./set-enabled";

type Action = BulkBody["action"];

const ACTIONS: Record<Action, (actor: Actor, id: string) => Promise<unknown>> = {
  enable: (actor, id) => setJobEnabled({ actor, input: { id, enabled: true } }),
  disable: (actor, id) => setJobEnabled({ actor, input: { id, enabled: false } }),
  run: (actor, id) => runJob({ actor, input: { id } }),
  delete: (actor, id) => deleteJob({ actor, input: { id } }),
};

export async function bulkJobs({ actor, input }: { actor: Actor | null; input: BulkBody }): Promise<BulkResult> {
  const operator = requireRole(actor, "operator");
  const ids = input.ids ? [...new Set(input.ids.map((id) => id.toLowerCase()))] : await matching(input.filter!);
  const results: BulkResult["results"] = [];
  for (const id of ids) {
    try {
      await ACTIONS[input.action](operator, id);
      results.push({ id, ok: true });
    } catch (error) {
      results.push({ id, ok: false, error: itemError(error, input.action) });
    }
  }
  const succeeded = results.filter((result) => result.ok).length;
  return { succeeded, failed: results.length - succeeded, results };
}

/** The ids a filter matches now, in the list's order; refused past MAX_BULK like a long ids list. */
async function matching(filter: JobFilter): Promise<string[]> {
  const db = await getPrisma();
  const rows = await db.job.findMany({ where: jobFilterWhere(filter), orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true }, take: MAX_BULK + 1 });
  if (rows.length > MAX_BULK) {
    const message = `The filter matches more than ${MAX_BULK.toLocaleString("en")} jobs; narrow it down`;
    throw new DomainError("VALIDATION_FAILED", message, { field: "filter", details: [{ path: "filter", message }] });
  }
  return rows.map((row) => row.id);
}

function itemError(error: unknown, action: Action): { code: string; message: string } {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  logger.error("Unhandled error in a bulk action", { action, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return { code: "INTERNAL", message: "Something went wrong on our side; it has been logged" };
}
