// POST /api/cron/tick: the scheduler tick and stalled sweep over HTTP for hosts without a
// long-lived process, guarded by `Authorization: Bearer $CRON_SECRET`.
import { beforeAll, describe, expect, it, vi } from "vitest";

const SECRET = vi.hoisted(() => {
  const secret = "cron-secret-for-tests-0123456789";
  process.env.CRON_SECRET = secret;
  return secret;
});

import { getPrisma } from "@/lib/db";
import { closeBus } from "@/lib/events/bus";
import { api } from "../../support/api";
import { createIdentities, executionRow, executionsOf, expectError, postJob, resetDatabase, setNextRunAt, type Identities } from "../../support/fixtures";
import { insertRunning } from "./support";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
  return () => closeBus();
});

const tickWith = (authorization?: string) =>
  api("POST", "/api/cron/tick", { headers: authorization === undefined ? {} : { authorization } });

describe("POST /api/cron/tick", () => {
  it("with the secret: materialises due jobs, sweeps stalled runs, and answers what it did", async () => {
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 3600 } });
    const due = new Date(Date.now() - 500);
    await setNextRunAt(job.id, due);
    const other = await postJob(who.operator, { schedule: { type: "manual" } });
    const stale = await insertRunning(other, 10 * 60_000);

    const response = await tickWith(`Bearer ${SECRET}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ jobs: 1, queued: 1, skipped: 0, stalled: 1 });
    expect(Math.abs(Date.parse(response.body.at) - Date.now())).toBeLessThan(10_000);

    const rows = await executionsOf(job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "QUEUED", trigger: "schedule" });
    expect(rows[0].scheduledFor.toISOString()).toBe(due.toISOString());
    expect(await executionRow(stale.id)).toMatchObject({ status: "FAILED", errorCode: "STALLED" });
    const db = await getPrisma();
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).nextRunAt?.toISOString()).toBe(new Date(due.getTime() + 3_600_000).toISOString());
    expect((await db.schedulerInstance.findUnique({ where: { id: "http-tick" } }))?.lastTickAt).not.toBeNull();

    const again = await tickWith(`bearer ${SECRET}`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ jobs: 0, queued: 0, stalled: 0 });
    expect(await executionsOf(job.id)).toHaveLength(1);
  });

  it("without the secret: 401, and nothing is ticked", async () => {
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 3600 } });
    await setNextRunAt(job.id, new Date(Date.now() - 500));
    expectError(await tickWith(), 401, "UNAUTHENTICATED");
    expectError(await tickWith(`Bearer ${SECRET}x`), 401, "UNAUTHENTICATED");
    expectError(await tickWith(`Bearer ${SECRET.slice(0, -1)}`), 401, "UNAUTHENTICATED");
    expectError(await tickWith(SECRET), 401, "UNAUTHENTICATED");
    expectError(await tickWith(`Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}`), 401, "UNAUTHENTICATED");
    expectError(await tickWith("Bearer "), 401, "UNAUTHENTICATED");
    // An API token, even an admin's, is not the cron secret.
    expectError(await api("POST", "/api/cron/tick", { token: who.admin }), 401, "UNAUTHENTICATED");
    expect(await executionsOf(job.id)).toHaveLength(0);
  });
});
