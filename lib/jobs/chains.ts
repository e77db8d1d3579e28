// Chains: a job's onSuccess / onFailure lists name other jobs that get one run when a run of it
// ends. Saving a list checks that every job named is live and that no cycle forms (a cycle would
// run forever); deleting a job removes it from every list. One transaction-scoped advisory lock
// keeps the lists consistent: saves that add to a list and deletes hold it exclusively (two saves
// cannot each close half of a cycle, nor a save name a job being deleted), and every completion
// holds it shared (the lists it chains by cannot grow, nor a chained job be deleted, before it
// commits). Everyone takes it before any row lock, so it adds no lock-order cycle.
import { Prisma, type Job, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";

/** The advisory lock (one key) that chain checks and deletes share. */
const CHAIN_LOCK = 7408;

type ChainField = "onSuccess" | "onFailure";
const FIELDS: ChainField[] = ["onSuccess", "onFailure"];

export interface ChainLists {
  onSuccess: string[];
  onFailure: string[];
}

/** For saves that add to a list, and deletes: call before any row lock. */
export async function lockChains(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}::int)`;
}

/**
 * For completions: the lists and the chained jobs stay as read until commit. A condition for the
 * WHERE of the statement that locks the finishing jobs, which takes the lock shared before any row
 * lock of that statement: PostgreSQL evaluates an uncorrelated subquery there once, as a one-time
 * filter ahead of the scan (the OFFSET keeps the function call from being optimised away).
 */
export const CHAIN_LISTS_SHARED = Prisma.sql`(SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared(${CHAIN_LOCK}::int) OFFSET 0) AS chain_lists) = 1`;

export const hasChains = (lists: Partial<ChainLists>) => (lists.onSuccess?.length ?? 0) > 0 || (lists.onFailure?.length ?? 0) > 0;

const invalid = (field: ChainField, index: number | null, message: string) =>
  new DomainError("VALIDATION_FAILED", message, { field, details: [{ path: index === null ? field : `${field}.${index}`, message }] });

/** Refuses self, unknown or deleted jobs and cycles; `self` is null for a job not created yet. */
export async function checkChains(tx: Tx, self: { id: string; name: string } | null, lists: ChainLists): Promise<void> {
  for (const field of FIELDS) {
    const index = lists[field].indexOf(self?.id ?? "");
    if (index >= 0) throw invalid(field, index, "A job cannot chain to itself");
  }
  const named = [...new Set([...lists.onSuccess, ...lists.onFailure])];
  if (named.length === 0) return;
  const live = new Set((await tx.job.findMany({ where: { id: { in: named }, deletedAt: null }, select: { id: true } })).map((job) => job.id));
  for (const field of FIELDS) {
    const index = lists[field].findIndex((id) => !live.has(id));
    if (index >= 0) throw invalid(field, index, `No job with id ${lists[field][index]} (unknown or deleted)`);
  }
  // Nobody can chain to a job that does not exist yet, so only an existing job can close a cycle.
  if (self) await refuseCycle(tx, self, lists);
}

async function refuseCycle(tx: Tx, self: { id: string; name: string }, lists: ChainLists): Promise<void> {
  const rows = await tx.job.findMany({
    where: { deletedAt: null, OR: [{ onSuccess: { isEmpty: false } }, { onFailure: { isEmpty: false } }] },
    select: { id: true, name: true, onSuccess: true, onFailure: true },
  });
  const edges = new Map(rows.map((row) => [row.id, [...row.onSuccess, ...row.onFailure]]));
  edges.set(self.id, [...lists.onSuccess, ...lists.onFailure]);
  for (const field of FIELDS) {
    for (const start of lists[field]) {
      const path = pathBetween(edges, start, self.id);
      if (!path) continue;
      const names = await namesOf(tx, [self.id, ...path]);
      const cycle = [self.id, ...path].map((id) => `"${names.get(id) ?? id}"`).join(" → ");
      throw new DomainError("VALIDATION_FAILED", `This would make a cycle: ${cycle}`, {
        field,
        details: [{ path: field, message: `Cycle: ${cycle}` }],
      });
    }
  }
}

/** A path of ids from `from` to `to` along the edges (both ends included), or null. */
function pathBetween(edges: Map<string, string[]>, from: string, to: string): string[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) {
      const path: string[] = [];
      for (let at: string | null = node; at !== null; at = cameFrom.get(at) ?? null) path.unshift(at);
      return path;
    }
    for (const next of edges.get(node) ?? []) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      queue.push(next);
    }
  }
  return null;
}

async function namesOf(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  const rows = await tx.job.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Takes a deleted job out of every list that names it; one audited job.update per job changed. */
export async function removeFromChains(tx: Tx, actor: Actor, deleted: Job): Promise<Job[]> {
  const referrers = await tx.job.findMany({
    where: { deletedAt: null, OR: [{ onSuccess: { has: deleted.id } }, { onFailure: { has: deleted.id } }] },
  });
  const changed: Job[] = [];
  for (const before of referrers) {
    const lists = { onSuccess: before.onSuccess.filter((id) => id !== deleted.id), onFailure: before.onFailure.filter((id) => id !== deleted.id) };
    const after = await tx.job.update({ where: { id: before.id }, data: { ...lists, version: { increment: 1 } } });
    await writeAudit(tx, {
      actor,
      action: "job.update",
      targetType: "job",
      targetId: after.id,
      summary: `Removed deleted job "${deleted.name}" from the chains of "${after.name}"`,
      changes: Object.fromEntries(
        FIELDS.filter((field) => before[field].length !== after[field].length).map((field) => [field, { from: before[field], to: after[field] }]),
      ),
    });
    changed.push(after);
  }
  return changed;
}
