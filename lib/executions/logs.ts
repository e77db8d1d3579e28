// Reading a run's log: pages of lines after a seq (the console and API clients follow a live run
// by asking again after the last seq they have), or the whole log as text for a download.
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { queryInt } from "@/lib/http/pagination";
import type { LogLine } from "@/lib/events/types";

export const LogQuery = z.object({
  after: queryInt(0, 2_147_483_647, 0).describe("Lines with a seq greater than this"),
  limit: queryInt(1, 1000, 500),
  format: z.enum(["json", "text"]).default("json").describe("`text`: the whole log as a text/plain download"),
});
export type LogQuery = z.infer<typeof LogQuery>;

export interface LogPage {
  items: LogLine[];
  /** The seq to ask after for the next page; null when this page reached the end of what is written so far. */
  next: number | null;
  /** The log reached its cap; its last line says so. */
  truncated: boolean;
}

async function findExecution(id: string) {
  const db = await getPrisma();
  const execution = await db.execution.findUnique({ where: { id }, select: { id: true, logTruncated: true, jobName: true } });
  if (!execution) throw notFound("Execution");
  return execution;
}

const toLine = (row: { seq: number; at: Date; level: LogLine["level"]; message: string }): LogLine => ({
  seq: row.seq,
  at: row.at.toISOString(),
  level: row.level,
  message: row.message,
});

/** GET /api/executions/:id/logs */
export async function readLog({ actor, input }: { actor: Actor | null; input: { id: string; after: number; limit: number } }): Promise<LogPage> {
  requireRole(actor, "viewer");
  const execution = await findExecution(input.id);
  const db = await getPrisma();
  const rows = await db.executionLog.findMany({
    where: { executionId: input.id, seq: { gt: input.after } },
    orderBy: { seq: "asc" },
    take: input.limit + 1,
    select: { seq: true, at: true, level: true, message: true },
  });
  const items = rows.slice(0, input.limit).map(toLine);
  return { items, next: rows.length > input.limit ? items.at(-1)!.seq : null, truncated: execution.logTruncated };
}

/** GET /api/executions/:id/logs?format=text: every line as `<at> <level> <message>`. */
export async function logText({ actor, input }: { actor: Actor | null; input: { id: string } }): Promise<string> {
  requireRole(actor, "viewer");
  await findExecution(input.id);
  const db = await getPrisma();
  const rows = await db.executionLog.findMany({ where: { executionId: input.id }, orderBy: { seq: "asc" }, select: { seq: true, at: true, level: true, message: true } });
  return rows.map((row) => `${row.at.toISOString()} ${row.level.padEnd(6)} ${row.message}\n`).join("");
}
