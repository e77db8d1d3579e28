// Concurrent changes of one job: optimistic concurrency lets exactly one writer of a version win,
// writers that named no version are not refused, and the audit matches what happened.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../support/api";
import { auditActions, auditRows, createIdentities, expectError, jobInput, jobRow, postJob, resetDatabase, type Identities } from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const statuses = (responses: { status: number }[]) => responses.map((response) => response.status).sort();

describe("concurrent changes", () => {
  it("two PATCHes with the same If-Match: exactly one 200 and one 409 with the winner's job", async () => {
    const job = await postJob(who.operator);
    const [a, b] = await Promise.all(
      ["from A", "from B"].map((notes) =>
        api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes }, headers: { "if-match": '"1"' } }),
      ),
    );
    expect(statuses([a, b])).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const error = expectError(loser, 409, "CONFLICT");
    expect(error.details![0]).toMatchObject({ id: job.id, version: 2, notes: winner.body.notes });
    expect(await jobRow(job.id)).toMatchObject({ version: 2, notes: winner.body.notes });
    expect(await auditActions(job.id)).toEqual(["job.create", "job.update"]);
  });

  it("two PATCHes with the same body version: exactly one 200 and one 409", async () => {
    const job = await postJob(who.operator);
    const responses = await Promise.all([
      api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { description: "A", version: 1 } }),
      api("PATCH", `/api/jobs/${job.id}`, { token: who.admin, body: { maxAttempts: 5, version: 1 } }),
    ]);
    expect(statuses(responses)).toEqual([200, 409]);
    const row = await jobRow(job.id);
    expect(row!.version).toBe(2);
    // Only the winner's change is in the row.
    expect([row!.description === "A", row!.maxAttempts === 5].filter(Boolean)).toHaveLength(1);
  });

  it("five writers of version 1: one wins, four get 409", async () => {
    const job = await postJob(who.operator);
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: `writer ${n}` }, headers: { "if-match": '"1"' } }),
      ),
    );
    expect(statuses(responses)).toEqual([200, 409, 409, 409, 409]);
    expect((await jobRow(job.id))!.version).toBe(2);
    expect(await auditRows(job.id)).toHaveLength(2);
  });

  it("two PATCHes that name no version both succeed, one after the other", async () => {
    const job = await postJob(who.operator);
    const responses = await Promise.all([
      api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { description: "set by A" } }),
      api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "set by B" } }),
    ]);
    expect(statuses(responses), JSON.stringify(responses.map((r) => r.body))).toEqual([200, 200]);
    expect(responses.map((response) => response.body.version).sort()).toEqual([2, 3]);
    // Neither change is lost.
    expect(await jobRow(job.id)).toMatchObject({ version: 3, description: "set by A", notes: "set by B" });
    expect(await auditActions(job.id)).toEqual(["job.create", "job.update", "job.update"]);
  });

  it("two enables of a disabled job: both 200, one change, one audit event", async () => {
    const job = await postJob(who.operator, { enabled: false });
    const responses = await Promise.all([
      api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator }),
      api("POST", `/api/jobs/${job.id}/enable`, { token: who.admin }),
    ]);
    expect(statuses(responses), JSON.stringify(responses.map((r) => r.body))).toEqual([200, 200]);
    for (const response of responses) expect(response.body).toMatchObject({ enabled: true, version: 2 });
    expect(await auditActions(job.id)).toEqual(["job.create", "job.enable"]);
  });

  it("an enable and a disable at once: both succeed and the row matches the last", async () => {
    const job = await postJob(who.operator);
    const [disabled, enabled] = await Promise.all([
      api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator }),
      api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator }),
    ]);
    expect([disabled.status, enabled.status]).toEqual([200, 200]);
    const row = await jobRow(job.id);
    const last = disabled.body.version > enabled.body.version ? disabled.body : enabled.body;
    expect(row).toMatchObject({ enabled: last.enabled, version: last.version });
    expect(row!.nextRunAt === null).toBe(!last.enabled);
  });

  it("two DELETEs: one 204, one 404, one audit event", async () => {
    const job = await postJob(who.operator);
    const responses = await Promise.all([
      api("DELETE", `/api/jobs/${job.id}`, { token: who.operator }),
      api("DELETE", `/api/jobs/${job.id}`, { token: who.operator }),
    ]);
    expect(statuses(responses)).toEqual([204, 404]);
    expectError(responses.find((response) => response.status === 404)!, 404, "NOT_FOUND");
    expect(await auditActions(job.id)).toEqual(["job.create", "job.delete"]);
  });

  it("a PATCH racing a DELETE never leaves a live, half-changed job", async () => {
    const job = await postJob(who.operator);
    const [patched, deleted] = await Promise.all([
      api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "racing" } }),
      api("DELETE", `/api/jobs/${job.id}`, { token: who.operator }),
    ]);
    expect(deleted.status).toBe(204);
    expect([200, 404]).toContain(patched.status);
    const row = await jobRow(job.id);
    expect(row!.deletedAt).not.toBeNull();
    expect(row!.version).toBe(patched.status === 200 ? 3 : 2);
  });

  it("two creates with the same name: one 201, one 409 on name, one row", async () => {
    const name = `Race ${crypto.randomUUID().slice(0, 8)}`;
    const responses = await Promise.all([
      api("POST", "/api/jobs", { token: who.operator, body: jobInput({ name }) }),
      api("POST", "/api/jobs", { token: who.admin, body: jobInput({ name: name.toUpperCase() }) }),
    ]);
    expect(statuses(responses)).toEqual([201, 409]);
    expect(expectError(responses.find((response) => response.status === 409)!, 409, "CONFLICT").field).toBe("name");
    const db = await getPrisma();
    expect(await db.job.count({ where: { name: { equals: name, mode: "insensitive" }, deletedAt: null } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "job.create", summary: { contains: name, mode: "insensitive" } } })).toBe(1);
  });
});
