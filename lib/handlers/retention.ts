// system.retention: deletes finished executions older than keepDays. Runs the system-managed
// retention job; not offered for operator jobs.
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import type { JobHandler } from "./types";

const BATCH = 5000;

const params = z.strictObject({ keepDays: z.number().int().min(1).max(3650).default(30) });

export const retention = {
  type: "system.retention",
  description: "Deletes finished executions older than keepDays, in batches.",
  examples: [{ title: "Keep 30 days", params: { keepDays: 30 } }],
  defaultParams: { keepDays: 30 },
  params,
  system: true,
  async run({ params, signal, progress }) {
    const db = await getPrisma();
    const cutoff = new Date(Date.now() - params.keepDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      signal.throwIfAborted();
      const removed = await db.$executeRaw`
        DELETE FROM executions WHERE id IN (
          SELECT id FROM executions
          WHERE finished_at < ${cutoff} AND status NOT IN ('QUEUED', 'RUNNING')
          LIMIT ${BATCH})`;
      deleted += removed;
      progress(removed < BATCH ? 100 : 50, `Deleted ${deleted} executions`);
      if (removed < BATCH) break;
    }
    return { deleted, cutoff: cutoff.toISOString() };
  },
} satisfies JobHandler<typeof params>;
