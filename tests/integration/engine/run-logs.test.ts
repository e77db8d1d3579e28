// Run logs of an execution that ran before (requeued at a shutdown or the end of an HTTP tick's
// budget): a new attempt's lines follow the earlier ones, and the cap counts them too; a fresh
// execution flushed alongside starts at 1 in the same write.
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { MAX_LOG_LINES, openRunLog } from "@/lib/engine/logs";
import { resetDatabase } from "../../support/fixtures";
import { insertExecutionOf } from "./support";

beforeAll(async () => {
  await resetDatabase();
});

async function linesOf(id: string) {
  const db = await getPrisma();
  return db.executionLog.findMany({ where: { executionId: id }, orderBy: { seq: "asc" }, select: { seq: true, level: true, message: true } });
}

async function writeEarlierLines(id: string, count: number) {
  const db = await getPrisma();
  await db.$executeRaw`
    INSERT INTO execution_logs (execution_id, seq, at, level, message)
    SELECT ${id}::uuid, n, now(), 'info', 'earlier ' || n FROM generate_series(1, ${count}::int) AS n`;
}

describe("run logs", () => {
  it("continues after the lines of an earlier attempt, while a fresh run flushed with it starts at 1", async () => {
    const requeued = await insertExecutionOf(null, { status: "RUNNING" });
    const fresh = await insertExecutionOf(null, { status: "RUNNING" });
    await writeEarlierLines(requeued.id, 3);

    const again = openRunLog(requeued);
    const first = openRunLog(fresh);
    again.write("info", "second attempt, line 1");
    first.write("info", "fresh line 1");
    again.write("stdout", "second attempt, line 2");
    first.write("stderr", "fresh line 2");
    await Promise.all([again.close(), first.close()]);

    expect(await linesOf(requeued.id)).toEqual([
      { seq: 1, level: "info", message: "earlier 1" },
      { seq: 2, level: "info", message: "earlier 2" },
      { seq: 3, level: "info", message: "earlier 3" },
      { seq: 4, level: "info", message: "second attempt, line 1" },
      { seq: 5, level: "stdout", message: "second attempt, line 2" },
    ]);
    expect(await linesOf(fresh.id)).toEqual([
      { seq: 1, level: "info", message: "fresh line 1" },
      { seq: 2, level: "stderr", message: "fresh line 2" },
    ]);
  });

  it("counts an earlier attempt's lines against the cap", async () => {
    const requeued = await insertExecutionOf(null, { status: "RUNNING" });
    await writeEarlierLines(requeued.id, MAX_LOG_LINES - 1);

    const log = openRunLog(requeued);
    for (const n of [1, 2, 3]) log.write("info", `late line ${n}`);
    await log.close();

    const lines = await linesOf(requeued.id);
    expect(lines).toHaveLength(MAX_LOG_LINES + 1);
    expect(lines.at(-2)).toEqual({ seq: MAX_LOG_LINES, level: "info", message: "late line 1" });
    expect(lines.at(-1)).toMatchObject({ seq: MAX_LOG_LINES + 1, level: "warn", message: expect.stringMatching(/^Log truncated/) });
    const db = await getPrisma();
    expect(await db.execution.findUniqueOrThrow({ where: { id: requeued.id } })).toMatchObject({ logTruncated: true });
  });
});
