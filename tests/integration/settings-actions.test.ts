// The console's user and token server actions against the real database: only admins get
// through, each change is made by the same services as the CLIs and audited, the server refuses
// self-demotion whatever the screen offers, and a created token really opens the API.
import crypto from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor, Role } from "@/lib/auth/roles";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ currentActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { getPrisma } = await import("@/lib/db");
const { completeSignIn } = await import("@/lib/auth/sign-in");
const { createTokenAction, createUserAction, revokeTokenAction, updateUserAction } = await import("@/app/(console)/settings/actions");
const { listAuditActors } = await import("@/lib/audit/actors");
const { auditTargetNames } = await import("@/lib/audit/targets");
const { api } = await import("../support/api");
const { auditRows, createIdentities, resetDatabase } = await import("../support/fixtures");

let users: Record<Role, { id: string; email: string }>;
const as = (role: Role): Actor => ({ kind: "user", id: users[role].id, name: users[role].email, role });
const email = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
const PASSWORD = "initial password 123";

beforeAll(async () => {
  await resetDatabase();
  ({ users } = await createIdentities());
});

beforeEach(() => {
  session.actor = as("admin");
});

async function countRows() {
  const db = await getPrisma();
  const [userCount, tokenCount, auditCount] = await Promise.all([db.user.count(), db.apiToken.count(), db.auditEvent.count()]);
  return { userCount, tokenCount, auditCount };
}

describe("settings actions refuse anyone but an admin", () => {
  it.each(["viewer", "operator"] as const)("%s: FORBIDDEN for every action, and nothing changes", async (role) => {
    session.actor = as(role);
    const before = await countRows();
    const results = await Promise.all([
      createUserAction({ email: email("nope"), role: "admin", password: PASSWORD }),
      updateUserAction({ id: users.viewer.id, role: "admin" }),
      createTokenAction({ name: "nope", role: "admin" }),
      revokeTokenAction({ id: crypto.randomUUID() }),
    ]);
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN", message: `This needs the admin role; you have ${role}` } });
    expect(await countRows()).toEqual(before);
    // The actions' own checks, not only the services': they refuse before parsing the input.
    await expect(updateUserAction({ id: "nope" } as never)).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await expect(revokeTokenAction({ id: "nope" })).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("without a session: UNAUTHENTICATED", async () => {
    session.actor = null;
    await expect(createTokenAction({ name: "nope", role: "viewer" })).resolves.toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
  });
});

describe("users", () => {
  it("creates a user who can sign in, audited as user.create by the admin", async () => {
    const address = email("new");
    const result = await createUserAction({ email: address.toUpperCase(), name: "New Person", role: "operator", password: PASSWORD });
    expect(result).toMatchObject({ ok: true, data: { email: address, name: "New Person", role: "operator", disabled: false, lastLoginAt: null } });
    if (!result.ok) return;
    expect(await completeSignIn({ email: address, password: PASSWORD, address: "127.0.0.1" })).toMatchObject({ id: result.data.id, role: "operator" });
    const [event] = await auditRows(result.data.id);
    expect(event).toMatchObject({ actor: users.admin.email, action: "user.create", targetType: "user" });
  });

  it("puts a taken email and a short password on their fields", async () => {
    const taken = await createUserAction({ email: users.viewer.email, role: "viewer", password: PASSWORD });
    expect(taken).toMatchObject({ ok: false, error: { code: "CONFLICT", field: "email" } });
    const short = await createUserAction({ email: email("short"), role: "viewer", password: "short" });
    expect(short).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "password", message: "Use at least 10 characters" }] } });
  });

  it("changes a role and disables a user, each audited with from/to; a disabled user cannot sign in", async () => {
    const created = await createUserAction({ email: email("changed"), role: "operator", password: PASSWORD });
    if (!created.ok) throw new Error(created.error.message);
    const { id } = created.data;

    await expect(updateUserAction({ id, role: "viewer" })).resolves.toMatchObject({ ok: true, data: { role: "viewer" } });
    await expect(updateUserAction({ id, disabled: true })).resolves.toMatchObject({ ok: true, data: { disabled: true } });

    expect(await completeSignIn({ email: created.data.email, password: PASSWORD, address: "127.0.0.1" })).toBeNull();
    const updates = (await auditRows(id)).filter((event) => event.action === "user.update");
    // Two events of one millisecond have no order.
    expect(updates.map((event) => event.changes)).toHaveLength(2);
    expect(updates.map((event) => event.changes)).toEqual(expect.arrayContaining([{ role: { from: "operator", to: "viewer" } }, { disabled: { from: false, to: true } }]));
  });

  it("refuses to demote or disable yourself, and to change an unknown user", async () => {
    await expect(updateUserAction({ id: users.admin.id, role: "operator" })).resolves.toMatchObject({ ok: false, error: { code: "INVALID_STATE" } });
    await expect(updateUserAction({ id: users.admin.id, disabled: true })).resolves.toMatchObject({ ok: false, error: { code: "INVALID_STATE" } });
    await expect(updateUserAction({ id: crypto.randomUUID(), role: "viewer" })).resolves.toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    await expect(updateUserAction({ id: "not-a-uuid", role: "viewer" })).resolves.toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", field: "id" } });
    const db = await getPrisma();
    expect(await db.user.findUnique({ where: { id: users.admin.id } })).toMatchObject({ role: "admin", disabled: false });
  });
});

describe("API tokens", () => {
  it("creates a token that opens the API with its role, then revokes it (401), both audited", async () => {
    const name = `console-${crypto.randomUUID().slice(0, 8)}`;
    const created = await createTokenAction({ name, role: "viewer" });
    if (!created.ok) throw new Error(created.error.message);
    const { token, record } = created.data;
    expect(token.startsWith(record.prefix)).toBe(true);
    expect((await api("GET", "/api/jobs", { token })).status).toBe(200);
    expect((await api("POST", "/api/jobs", { token, body: {} })).status).toBe(403);

    await expect(revokeTokenAction({ id: record.id })).resolves.toMatchObject({ ok: true, data: { id: record.id, revokedAt: expect.any(String) } });
    expect((await api("GET", "/api/jobs", { token })).status).toBe(401);
    // Revoking again is harmless and writes nothing more.
    await expect(revokeTokenAction({ id: record.id })).resolves.toMatchObject({ ok: true });
    expect((await auditRows(record.id)).map((event) => [event.action, event.actor])).toEqual([
      ["token.create", users.admin.email],
      ["token.revoke", users.admin.email],
    ]);
  });

  it("validates the name", async () => {
    await expect(createTokenAction({ name: "  ", role: "viewer" })).resolves.toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", field: "name" } });
  });
});

describe("the audit page's helpers", () => {
  it("list the actors so far and name the targets of events", async () => {
    const created = await createUserAction({ email: email("named"), role: "viewer", password: PASSWORD });
    if (!created.ok) throw new Error(created.error.message);
    expect(await listAuditActors({ actor: as("operator") })).toContain(users.admin.email);
    const [event] = await auditRows(created.data.id);
    const names = await auditTargetNames({
      actor: as("operator"),
      input: { events: [{ ...event, at: event.at.toISOString(), changes: null }, { ...event, id: crypto.randomUUID(), targetType: "job", targetId: "not-a-uuid", at: "", changes: null }] },
    });
    expect(names).toEqual({ jobs: {}, users: { [created.data.id]: created.data.email }, tokens: {} });
    await expect(listAuditActors({ actor: as("viewer") })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
