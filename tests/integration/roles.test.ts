// Who may call what: every endpoint against no credentials, each role's token, a revoked token and
// a malformed Authorization header; then the session cookie with its same-origin rule.
import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createUser } from "@/lib/auth/users";
import { api, BASE_URL } from "../support/api";
import {
  auditRows,
  createIdentities,
  expectError,
  jobInput,
  jobRow,
  markFailed,
  postJob,
  resetDatabase,
  sessionCookie,
  type Identities,
} from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

type Caller = "anonymous" | "viewer" | "operator" | "admin" | "revoked" | "malformed";
type Level = "public" | "viewer" | "operator" | "admin";

interface Endpoint {
  label: string;
  method: string;
  /** Makes what the call needs (a fresh job) and answers the path. */
  path: () => Promise<string>;
  body?: () => unknown;
  level: Level;
  ok: number;
}

const freshJob = async () => `/api/jobs/${(await postJob(who.operator)).id}`;
const failedJob = async () => {
  const job = await postJob(who.operator);
  await markFailed(job.id);
  return `/api/jobs/${job.id}`;
};

const hourlyJob = async () => `/api/jobs/${(await postJob(who.operator, { schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" } })).id}`;
const pastHour = () => ({ from: new Date(Date.now() - 2 * 3_600_000).toISOString(), to: new Date(Date.now() - 3_600_000).toISOString() });

const ENDPOINTS: Endpoint[] = [
  { label: "GET /api/jobs", method: "GET", path: async () => "/api/jobs", level: "viewer", ok: 200 },
  { label: "POST /api/jobs", method: "POST", path: async () => "/api/jobs", body: () => jobInput(), level: "operator", ok: 201 },
  { label: "GET /api/jobs/:id", method: "GET", path: freshJob, level: "viewer", ok: 200 },
  { label: "PUT /api/jobs/:id", method: "PUT", path: freshJob, body: () => jobInput(), level: "operator", ok: 200 },
  { label: "PATCH /api/jobs/:id", method: "PATCH", path: freshJob, body: () => ({ notes: "role matrix" }), level: "operator", ok: 200 },
  { label: "DELETE /api/jobs/:id", method: "DELETE", path: freshJob, level: "operator", ok: 204 },
  { label: "POST /api/jobs/:id/enable", method: "POST", path: async () => `${await freshJob()}/enable`, level: "operator", ok: 200 },
  { label: "POST /api/jobs/:id/disable", method: "POST", path: async () => `${await freshJob()}/disable`, level: "operator", ok: 200 },
  { label: "POST /api/jobs/:id/reset", method: "POST", path: async () => `${await failedJob()}/reset`, level: "operator", ok: 200 },
  { label: "POST /api/jobs/bulk", method: "POST", path: async () => "/api/jobs/bulk", body: () => ({ action: "disable", ids: [crypto.randomUUID()] }), level: "operator", ok: 200 },
  { label: "POST /api/jobs/:id/backfill", method: "POST", path: async () => `${await hourlyJob()}/backfill`, body: pastHour, level: "operator", ok: 202 },
  { label: "POST /api/jobs/:id/pause", method: "POST", path: async () => `${await freshJob()}/pause`, body: () => ({ until: new Date(Date.now() + 3_600_000).toISOString() }), level: "operator", ok: 200 },
  { label: "POST /api/jobs/:id/resume", method: "POST", path: async () => `${await freshJob()}/resume`, level: "operator", ok: 200 },
  { label: "GET /api/maintenance", method: "GET", path: async () => "/api/maintenance", level: "viewer", ok: 200 },
  { label: "PUT /api/maintenance", method: "PUT", path: async () => "/api/maintenance", body: () => ({ until: new Date(Date.now() + 3_600_000).toISOString(), reason: "role matrix" }), level: "admin", ok: 200 },
  { label: "DELETE /api/maintenance", method: "DELETE", path: async () => "/api/maintenance", level: "admin", ok: 204 },
  { label: "GET /api/audit", method: "GET", path: async () => "/api/audit", level: "operator", ok: 200 },
  { label: "GET /api/definitions", method: "GET", path: async () => "/api/definitions", level: "viewer", ok: 200 },
  { label: "GET /api/health", method: "GET", path: async () => "/api/health", level: "public", ok: 200 },
  { label: "GET /api/openapi.json", method: "GET", path: async () => "/api/openapi.json", level: "public", ok: 200 },
];

const CALLERS: Caller[] = ["anonymous", "viewer", "operator", "admin", "revoked", "malformed"];

function expected(endpoint: Endpoint, caller: Caller): { status: number; code?: string } {
  if (endpoint.level === "public") return { status: endpoint.ok };
  if (caller === "anonymous" || caller === "revoked" || caller === "malformed") return { status: 401, code: "UNAUTHENTICATED" };
  if (caller === "viewer" && (endpoint.level === "operator" || endpoint.level === "admin")) return { status: 403, code: "FORBIDDEN" };
  if (caller === "operator" && endpoint.level === "admin") return { status: 403, code: "FORBIDDEN" };
  return { status: endpoint.ok };
}

function credentials(caller: Caller): { token?: string; headers?: Record<string, string> } {
  switch (caller) {
    case "anonymous":
      return {};
    case "malformed":
      return { headers: { authorization: `Token ${who.operator}` } };
    default:
      return { token: who[caller] };
  }
}

const CASES = ENDPOINTS.flatMap((endpoint) => CALLERS.map((caller) => [endpoint.label, caller, endpoint] as const));

describe("role matrix", () => {
  it.each(CASES)(
    "%s as %s",
    async (_label, caller, endpoint) => {
      const path = await endpoint.path();
      const db = await getPrisma();
      const auditBefore = await db.auditEvent.count();
      const response = await api(endpoint.method, path, { ...credentials(caller), body: endpoint.body?.() });
      const want = expected(endpoint, caller);
      if (want.code) {
        expectError(response, want.status, want.code);
        // A refused call changes nothing.
        expect(await db.auditEvent.count()).toBe(auditBefore);
      } else {
        expect(response.status, JSON.stringify(response.body)).toBe(want.status);
      }
    },
  );
});

describe("bearer tokens", () => {
  it.each([
    ["an unknown token", (token: string) => `Bearer tw_${"x".repeat(43)}`],
    ["a token without the tw_ prefix", (token: string) => `Bearer ${token.slice(3)}`],
    ["Bearer with nothing after it", () => "Bearer"],
    ["Bearer with two words", (token: string) => `Bearer ${token} extra`],
    ["Basic auth", () => `Basic ${Buffer.from("admin:secret").toString("base64")}`],
    ["a bare token", (token: string) => token],
    ["a very long token", () => `Bearer tw_${"a".repeat(5000)}`],
  ])("%s answers 401 UNAUTHENTICATED", async (_label, header) => {
    const response = await api("GET", "/api/jobs", { headers: { authorization: header(who.admin) } });
    expectError(response, 401, "UNAUTHENTICATED");
  });

  it("accepts the scheme in any case", async () => {
    const response = await api("GET", "/api/jobs", { headers: { authorization: `bearer ${who.viewer}` } });
    expect(response.status).toBe(200);
  });

  it("records when a token was last used", async () => {
    const db = await getPrisma();
    await db.apiToken.updateMany({ where: { name: who.tokenNames.viewer }, data: { lastUsedAt: null } });
    await api("GET", "/api/jobs", { token: who.viewer });
    const token = await db.apiToken.findFirst({ where: { name: who.tokenNames.viewer } });
    expect(token!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("a revoked token cannot change anything", async () => {
    const job = await postJob(who.operator);
    expectError(await api("PATCH", `/api/jobs/${job.id}`, { token: who.revoked, body: { notes: "nope" } }), 401, "UNAUTHENTICATED");
    expect(await jobRow(job.id)).toMatchObject({ notes: null, version: 1 });
  });
});

describe("session cookie", () => {
  const SAME_ORIGIN = { origin: BASE_URL };
  let operatorCookie: string;
  let viewerCookie: string;

  beforeAll(async () => {
    operatorCookie = await sessionCookie(who.users.operator, "operator");
    viewerCookie = await sessionCookie(who.users.viewer, "viewer");
  });

  const withCookie = (cookie: string, headers: Record<string, string> = {}) => ({ headers: { cookie, ...headers } });

  it("works for reads, from any origin", async () => {
    expect((await api("GET", "/api/jobs", withCookie(viewerCookie))).status).toBe(200);
    expect((await api("GET", "/api/definitions", withCookie(viewerCookie, { origin: "https://evil.test" }))).status).toBe(200);
  });

  it("works for a change from the app's own origin, and the audit names the user", async () => {
    const name = `Cookie job ${crypto.randomUUID().slice(0, 8)}`;
    const response = await api("POST", "/api/jobs", { body: jobInput({ name }), ...withCookie(operatorCookie, SAME_ORIGIN) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.createdBy).toBe(who.users.operator.email);
    expect((await auditRows(response.body.id))[0]).toMatchObject({ actor: who.users.operator.email, action: "job.create" });
  });

  it("accepts a same-origin Referer when the Origin header is missing", async () => {
    const response = await api("POST", "/api/jobs", {
      body: jobInput(),
      ...withCookie(operatorCookie, { referer: `${BASE_URL}/jobs/new` }),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  it.each([
    ["a foreign Origin", { origin: "https://evil.test" }],
    ["the same host on another port", { origin: "http://localhost:3001" }],
    ["Origin null", { origin: "null" }],
    ["a foreign Referer and no Origin", { referer: "https://evil.test/page" }],
    ["neither Origin nor Referer", {}],
  ])("refuses a change with %s: 403 FORBIDDEN, nothing written", async (_label, headers) => {
    const name = `Cross-site ${crypto.randomUUID().slice(0, 8)}`;
    const response = await api("POST", "/api/jobs", { body: jobInput({ name }), ...withCookie(operatorCookie, headers) });
    expectError(response, 403, "FORBIDDEN");
    const db = await getPrisma();
    expect(await db.job.count({ where: { name } })).toBe(0);
  });

  it("refuses cross-origin PUT, PATCH, DELETE, enable, disable and reset", async () => {
    const job = await postJob(who.operator);
    await markFailed(job.id);
    const foreign = withCookie(operatorCookie, { origin: "https://evil.test" });
    const calls: [string, string, unknown][] = [
      ["PUT", `/api/jobs/${job.id}`, jobInput()],
      ["PATCH", `/api/jobs/${job.id}`, { notes: "csrf" }],
      ["DELETE", `/api/jobs/${job.id}`, undefined],
      ["POST", `/api/jobs/${job.id}/enable`, undefined],
      ["POST", `/api/jobs/${job.id}/disable`, undefined],
      ["POST", `/api/jobs/${job.id}/reset`, undefined],
    ];
    for (const [method, path, body] of calls) {
      expectError(await api(method, path, { body, ...foreign }), 403, "FORBIDDEN");
    }
    expect(await jobRow(job.id)).toMatchObject({ version: 1, enabled: true, deletedAt: null, notes: null, health: "failed" });
    expect(await auditRows(job.id)).toHaveLength(1);
    // The same calls from the app's own pages go through.
    const patched = await api("PATCH", `/api/jobs/${job.id}`, { body: { notes: "ok" }, ...withCookie(operatorCookie, SAME_ORIGIN) });
    expect(patched.status).toBe(200);
    const reset = await api("POST", `/api/jobs/${job.id}/reset`, withCookie(operatorCookie, SAME_ORIGIN));
    expect(reset.status).toBe(200);
    const deleted = await api("DELETE", `/api/jobs/${job.id}`, withCookie(operatorCookie, SAME_ORIGIN));
    expect(deleted.status).toBe(204);
  });

  it("a viewer's cookie may read but not change: 403 FORBIDDEN", async () => {
    const response = await api("POST", "/api/jobs", { body: jobInput(), ...withCookie(viewerCookie, SAME_ORIGIN) });
    expectError(response, 403, "FORBIDDEN");
    expectError(await api("GET", "/api/audit", withCookie(viewerCookie)), 403, "FORBIDDEN");
  });

  it("takes the role from the database, not from the cookie", async () => {
    const forged = await sessionCookie(who.users.viewer, "admin");
    expectError(await api("POST", "/api/jobs", { body: jobInput(), ...withCookie(forged, SAME_ORIGIN) }), 403, "FORBIDDEN");

    const user = await createUser({
      actor: SYSTEM_ACTOR,
      input: { email: `demoted-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "operator", password: "correct horse battery" },
    });
    const cookie = await sessionCookie(user, "operator");
    expect((await api("POST", "/api/jobs", { body: jobInput(), ...withCookie(cookie, SAME_ORIGIN) })).status).toBe(201);
    const db = await getPrisma();
    await db.user.update({ where: { id: user.id }, data: { role: "viewer" } });
    expectError(await api("POST", "/api/jobs", { body: jobInput(), ...withCookie(cookie, SAME_ORIGIN) }), 403, "FORBIDDEN");
  });

  it("a disabled user's cookie answers 401 UNAUTHENTICATED", async () => {
    const user = await createUser({
      actor: SYSTEM_ACTOR,
      input: { email: `disabled-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "admin", password: "correct horse battery" },
    });
    const cookie = await sessionCookie(user, "admin");
    expect((await api("GET", "/api/jobs", withCookie(cookie))).status).toBe(200);
    const db = await getPrisma();
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expectError(await api("GET", "/api/jobs", withCookie(cookie)), 401, "UNAUTHENTICATED");
    expectError(await api("POST", "/api/jobs", { body: jobInput(), ...withCookie(cookie, SAME_ORIGIN) }), 401, "UNAUTHENTICATED");
  });

  it.each([
    ["signed with another secret", async () => `next-auth.session-token=${await encode({ token: { sub: who.users.admin.id }, secret: "another-secret-0123456789abcdef" })}`],
    ["for a user that does not exist", async () => sessionCookie({ id: crypto.randomUUID(), email: "ghost@example.test" }, "admin")],
    ["that is garbage", async () => "next-auth.session-token=not-a-jwt"],
    ["under another cookie name", async () => (await sessionCookie(who.users.admin, "admin")).replace("next-auth.session-token", "session")],
  ])("a cookie %s answers 401 UNAUTHENTICATED", async (_label, make) => {
    expectError(await api("GET", "/api/jobs", withCookie(await make())), 401, "UNAUTHENTICATED");
  });
});
