// executionColumns() and JOB_COLUMNS read raw rows in the shape of Prisma's models: the engine's
// claim and completion return their updated rows with them instead of reading them back, and the
// job list reads its page with its total. They must give exactly what the ORM gives, field for
// field, or the engine would run on a different row than the one stored.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { executionColumns, getPrisma, JOB_COLUMNS, Prisma, type Execution, type Job } from "@/lib/db";
import { createIdentities, postJob, resetDatabase } from "../support/fixtures";

let jobId: string;

beforeAll(async () => {
  await resetDatabase();
  const who = await createIdentities();
  jobId = (await postJob(who.operator, { description: "every field", onSuccess: [] })).id;
});

async function insertEveryField(): Promise<string> {
  const db = await getPrisma();
  const parent = await db.execution.create({ data: { jobId, jobName: "parent", type: "demo.sleep", trigger: "manual", triggeredBy: "test", scheduledFor: new Date() } });
  const at = (offset: number) => new Date(Date.UTC(2026, 11, 2, 1, 2, 3, 456) + offset);
  const row = await db.execution.create({
    data: {
      id: crypto.randomUUID(),
      jobId,
      jobVersion: 3,
      jobName: "every field",
      type: "demo.sleep",
      status: "CANCELLED",
      trigger: "chain",
      triggeredBy: "test",
      attempt: 2,
      maxAttempts: 4,
      retryBackoffSeconds: 7,
      timeoutSeconds: 90,
      retryOfId: parent.id,
      parentExecutionId: parent.id,
      params: { nested: { list: [1, "two", null], emoji: "🦀" } },
      scheduledFor: at(0),
      queuedAt: at(1),
      startedAt: at(2),
      finishedAt: at(3),
      lastHeartbeatAt: at(4),
      durationMs: 5,
      queueDelayMs: 6,
      progressPercent: 70,
      progressMessage: "seven",
      result: { ok: true, count: 8 },
      errorCode: "CANCELLED",
      errorMessage: "nine",
      workerId: "worker-10",
      cancelRequestedAt: at(11),
      cancelRequestedBy: "someone",
      budgetRequeues: 1,
      logTruncated: true,
    },
  });
  return row.id;
}

describe("raw rows in the shape of Prisma's models", () => {
  it("executionColumns() gives what the ORM gives, for a row with every field set and for one with the optional fields empty", async () => {
    const db = await getPrisma();
    const full = await insertEveryField();
    const sparse = (await db.execution.create({ data: { jobName: "sparse", type: "demo.sleep", trigger: "manual", triggeredBy: "test", scheduledFor: new Date() } })).id;
    for (const id of [full, sparse]) {
      const [row] = await db.$queryRaw<Execution[]>`SELECT ${executionColumns("x")} FROM executions x WHERE x.id = ${id}::uuid`;
      expect(row).toEqual(await db.execution.findUniqueOrThrow({ where: { id } }));
      expect(Object.keys(row).sort()).toEqual(Object.values(Prisma.ExecutionScalarFieldEnum).sort());
    }
  });

  it("and what UPDATE ... RETURNING gives, as the claim reads it", async () => {
    const db = await getPrisma();
    const id = await insertEveryField();
    const [row] = await db.$queryRaw<Execution[]>`UPDATE executions SET status = 'RUNNING', result = NULL WHERE id = ${id}::uuid RETURNING ${executionColumns()}`;
    expect(row).toEqual(await db.execution.findUniqueOrThrow({ where: { id } }));
    expect(row.startedAt).toBeInstanceOf(Date);
    expect(row.result).toBeNull();
  });

  it("JOB_COLUMNS gives what the ORM gives for a job", async () => {
    const db = await getPrisma();
    const [row] = await db.$queryRaw<Job[]>`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ${jobId}::uuid`;
    expect(row).toEqual(await db.job.findUniqueOrThrow({ where: { id: jobId } }));
    expect(Object.keys(row).sort()).toEqual(Object.values(Prisma.JobScalarFieldEnum).sort());
  });
});
