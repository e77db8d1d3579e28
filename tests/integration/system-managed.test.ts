// The system-managed retention job: anyone may read it, nobody may change it through the API.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPrisma, type Job } from "@/lib/db";
import { api } from "../support/api";
import {
  auditRows,
  createIdentities,
  expectError,
  jobInput,
  postJob,
  resetDatabase,
  sessionCookie,
  systemJobRow,
  type Identities,
} from "../support/fixtures";

let who: Identities;
let system: Job;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

beforeEach(async () => {
  system = await systemJobRow();
});

const mutations = (id: string): [string, string, unknown][] => [
  ["PUT", `/api/jobs/${id}`, { ...jobInput({ name: "Execution history retention" }), description: "mine now" }],
  ["PATCH", `/api/jobs/${id}`, { notes: "mine now" }],
  ["PATCH", `/api/jobs/${id}`, { params: { keepDays: 1 } }],
  ["DELETE", `/api/jobs/${id}`, undefined],
  ["POST", `/api/jobs/${id}/enable`, undefined],
  ["POST", `/api/jobs/${id}/disable`, undefined],
  ["POST", `/api/jobs/${id}/reset`, undefined],
];

describe("system-managed job", () => {
  it("exists after start-up with the declared definition", () => {
    expect(system).toMatchObject({
      name: "Execution history retention",
      type: "system.retention",
      scheduleType: "cron",
      cronExpression: "15 3 * * *",
      timezone: "UTC",
      enabled: true,
      deletedAt: null,
      createdBy: "system",
    });
    expect(system.nextRunAt).toBeInstanceOf(Date);
  });

  it("can be read by a viewer, with an ETag", async () => {
    const response = await api("GET", `/api/jobs/${system.id}`, { token: who.viewer });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${system.version}"`);
    expect(response.body).toMatchObject({
      id: system.id,
      name: "Execution history retention",
      type: "system.retention",
      systemManaged: true,
      params: { keepDays: 30 },
      schedule: { type: "cron", expression: "15 3 * * *", timezone: "UTC" },
    });
    const listed = await api("GET", "/api/jobs?query=retention", { token: who.viewer });
    expect(listed.body.items.find((job: { id: string }) => job.id === system.id)).toMatchObject({ systemManaged: true });
  });

  it.each(["operator", "admin"] as const)("answers 403 SYSTEM_MANAGED to every mutation by an %s, and nothing changes", async (role) => {
    for (const [method, path, body] of mutations(system.id)) {
      const error = expectError(await api(method, path, { token: who[role], body }), 403, "SYSTEM_MANAGED");
      expect(error.message).toMatch(/Execution history retention/);
    }
    const after = await systemJobRow();
    expect(after).toEqual(system);
    expect(await auditRows(system.id)).toEqual([]);
  });

  it("answers 403 SYSTEM_MANAGED to an admin's session cookie from the app's origin too", async () => {
    const cookie = await sessionCookie(who.users.admin, "admin");
    const response = await api("PATCH", `/api/jobs/${system.id}`, {
      body: { enabled: false },
      headers: { cookie, origin: "http://localhost:3000" },
    });
    expectError(response, 403, "SYSTEM_MANAGED");
    expect((await systemJobRow()).enabled).toBe(true);
  });

  it("answers SYSTEM_MANAGED even with a matching version", async () => {
    const headers = { "if-match": `"${system.version}"` };
    expectError(await api("DELETE", `/api/jobs/${system.id}`, { token: who.admin, headers }), 403, "SYSTEM_MANAGED");
    expectError(
      await api("POST", `/api/jobs/${system.id}/disable`, { token: who.admin, body: { version: system.version } }),
      403,
      "SYSTEM_MANAGED",
    );
    expect((await systemJobRow()).deletedAt).toBeNull();
  });

  it("cannot be reset by an operator even when failed", async () => {
    const db = await getPrisma();
    await db.job.update({ where: { id: system.id }, data: { health: "failed", consecutiveFailures: 2 } });
    try {
      expectError(await api("POST", `/api/jobs/${system.id}/reset`, { token: who.operator }), 403, "SYSTEM_MANAGED");
      expect((await systemJobRow()).health).toBe("failed");
    } finally {
      await db.job.update({ where: { id: system.id }, data: { health: "active", consecutiveFailures: 0 } });
    }
  });

  it("a viewer gets FORBIDDEN, not SYSTEM_MANAGED: the role is checked first", async () => {
    expectError(await api("PATCH", `/api/jobs/${system.id}`, { token: who.viewer, body: { notes: "x" } }), 403, "FORBIDDEN");
  });

  it("its handler type is not offered for operator jobs", async () => {
    const created = await api("POST", "/api/jobs", { token: who.admin, body: jobInput({ type: "system.retention", params: { keepDays: 1 } }) });
    expect(expectError(created, 400, "VALIDATION_FAILED").field).toBe("params");
    const job = await postJob(who.operator);
    const patched = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.admin,
      body: { type: "system.retention", params: { keepDays: 1 } },
    });
    expect(expectError(patched, 400, "VALIDATION_FAILED").field).toBe("params");
  });

  it("is put back by start-up if it was deleted in the database", async () => {
    const db = await getPrisma();
    await db.job.update({ where: { id: system.id }, data: { deletedAt: new Date() } });
    const { upsertSystemJobs } = await import("@/lib/jobs/system");
    await upsertSystemJobs();
    const restored = await systemJobRow();
    expect(restored.id).toBe(system.id);
    expect(restored.deletedAt).toBeNull();
    expect((await api("GET", `/api/jobs/${system.id}`, { token: who.viewer })).status).toBe(200);
  });
});
