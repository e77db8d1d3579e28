// Jobs by name or id, for pickers (the job form's chain lists) and for naming a job's chain
// neighbours: small answers of { id, name }, never whole jobs.
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { likeLiteral } from "./list";

export const LookupJobsInput = z.strictObject({
  query: z.string().trim().max(200).optional(),
  ids: z.array(z.uuid()).max(100).optional(),
});
export type LookupJobsInput = z.infer<typeof LookupJobsInput>;

export interface JobRef {
  id: string;
  name: string;
}

const MATCHES = 20;

/** Live jobs whose name contains `query` (at most 20, by name) and the live jobs named by `ids`. */
export async function lookupJobs({ actor, input }: { actor: Actor | null; input: LookupJobsInput }): Promise<{ matches: JobRef[]; named: JobRef[] }> {
  requireRole(actor, "viewer");
  const db = await getPrisma();
  const select = { id: true, name: true } as const;
  const [matches, named] = await Promise.all([
    input.query === undefined
      ? []
      : db.job.findMany({ where: { deletedAt: null, name: { contains: likeLiteral(input.query), mode: "insensitive" } }, orderBy: [{ name: "asc" }, { id: "asc" }], take: MATCHES, select }),
    input.ids?.length ? db.job.findMany({ where: { deletedAt: null, id: { in: input.ids } }, select }) : [],
  ]);
  return { matches, named };
}

export interface ChainLinks {
  /** This job's lists, by name. */
  onSuccess: JobRef[];
  onFailure: JobRef[];
  /** The jobs whose lists name this one: it runs after them. */
  runsAfter: (JobRef & { when: "success" | "failure" })[];
}

export async function chainLinks({ actor, input }: { actor: Actor | null; input: { id: string; onSuccess: string[]; onFailure: string[] } }): Promise<ChainLinks> {
  requireRole(actor, "viewer");
  const db = await getPrisma();
  const [listed, parents] = await Promise.all([
    db.job.findMany({ where: { deletedAt: null, id: { in: [...input.onSuccess, ...input.onFailure] } }, select: { id: true, name: true } }),
    db.job.findMany({
      where: { deletedAt: null, OR: [{ onSuccess: { has: input.id } }, { onFailure: { has: input.id } }] },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, name: true, onSuccess: true },
    }),
  ]);
  const byId = new Map(listed.map((job) => [job.id, job]));
  const inOrder = (ids: string[]) => ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  return {
    onSuccess: inOrder(input.onSuccess),
    onFailure: inOrder(input.onFailure),
    runsAfter: parents.map((job) => ({ id: job.id, name: job.name, when: job.onSuccess.includes(input.id) ? "success" : "failure" })),
  };
}
