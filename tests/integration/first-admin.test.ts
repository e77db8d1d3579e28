// The first admin is created once, even when instances start together on an empty database (on
// PostgreSQL the calls run on separate connections, as separate instances would).
import { beforeEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { ensureFirstAdmin } from "@/lib/runtime/first-admin";
import { resetDatabase } from "../support/fixtures";

const ADMIN = { email: "first@example.test", password: "first admin password" };

async function admins() {
  const db = await getPrisma();
  return db.user.findMany({ select: { email: true, role: true } });
}

beforeEach(async () => {
  await resetDatabase();
});

describe("the first admin", () => {
  it("is created by one of four instances starting together, and the others find it", async () => {
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => ensureFirstAdmin({ ...ADMIN, embedded: false })));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await admins()).toEqual([{ email: ADMIN.email, role: "admin" }]);
    const db = await getPrisma();
    expect(await db.auditEvent.count({ where: { action: "user.create" } })).toBe(1);
  });

  it("is not created when someone exists, even with ADMIN_EMAIL naming another person", async () => {
    await ensureFirstAdmin({ ...ADMIN, embedded: false });
    expect(await ensureFirstAdmin({ email: "second@example.test", password: ADMIN.password, embedded: false })).toBe(false);
    expect((await admins()).map((user) => user.email)).toEqual([ADMIN.email]);
  });
});
