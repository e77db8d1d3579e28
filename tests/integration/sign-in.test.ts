// Signing in: the limits per account from an address and per address, counted and checked in one
// statement (parallel attempts cannot pass together), audit of sign-ins and refusals, and old
// bcrypt hashes replaced by argon2id at the next successful sign-in.
import crypto from "node:crypto";
import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createUser } from "@/lib/auth/users";
import { admitSignIn, completeSignIn, SIGN_IN_LIMITS } from "@/lib/auth/sign-in";
import { resetDatabase } from "../support/fixtures";

const PASSWORD = "correct horse battery";
const uniqueEmail = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
// Addresses of the documentation ranges, one per test, so no test's counters touch another's.
let nextAddress = 1;
const freshAddress = () => `198.51.100.${nextAddress++}`;

async function newUser(email = uniqueEmail("person")) {
  return createUser({ actor: SYSTEM_ACTOR, input: { email, role: "operator", password: PASSWORD } });
}

/** Admit, then check the password, as POST /api/auth/callback/credentials does. */
async function attempt(email: string, password: string, address: string) {
  await admitSignIn({ email, address });
  return completeSignIn({ email, password, address });
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

async function auditFor(filter: { action: string; actor?: string; targetId?: string }) {
  const db = await getPrisma();
  return db.auditEvent.findMany({ where: filter, orderBy: [{ at: "asc" }, { id: "asc" }] });
}

beforeAll(async () => {
  await resetDatabase();
});

describe("sign-in limits", () => {
  it("lets exactly 10 of 25 parallel attempts for one account from one address reach the password check", async () => {
    const email = uniqueEmail("parallel");
    const address = freshAddress();
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => admitSignIn({ email, address })));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(SIGN_IN_LIMITS.perAccount);
    for (const outcome of outcomes.filter((entry) => entry.status === "rejected")) {
      const error = (outcome as PromiseRejectedResult).reason as DomainError;
      expect(error.code).toBe("RATE_LIMITED");
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowSeconds);
    }
    // Refused attempts were audited once, not 15 times.
    const refusals = (await auditFor({ action: "auth.sign_in_failed", actor: email })).filter((event) => event.summary.includes("too many attempts"));
    expect(refusals).toHaveLength(1);
  });

  it("never locks the account out from another address", async () => {
    const user = await newUser();
    const attacker = freshAddress();
    for (let index = 0; index < SIGN_IN_LIMITS.perAccount; index++) expect(await attempt(user.email, "wrong password!", attacker)).toBeNull();
    const limited = await refusal(attempt(user.email, PASSWORD, attacker));
    expect(limited.code).toBe("RATE_LIMITED");

    const owner = await attempt(user.email, PASSWORD, freshAddress());
    expect(owner).toMatchObject({ kind: "user", id: user.id, role: "operator" });
  });

  it("limits one address across accounts, so trying many emails from it is stopped too", async () => {
    const address = freshAddress();
    for (let index = 0; index < SIGN_IN_LIMITS.perAddress; index++) await admitSignIn({ email: uniqueEmail("spray"), address });
    const limited = await refusal(admitSignIn({ email: uniqueEmail("spray"), address }));
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.message).toMatch(/from your address/);
    // Other addresses are untouched.
    await expect(admitSignIn({ email: uniqueEmail("spray"), address: freshAddress() })).resolves.toBeUndefined();
  });

  it("gives the attempts back on success, so the owner's own typos never add up", async () => {
    const user = await newUser();
    const address = freshAddress();
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < SIGN_IN_LIMITS.perAccount - 1; index++) expect(await attempt(user.email, "typo typo typo", address)).toBeNull();
      expect(await attempt(user.email, PASSWORD, address)).toMatchObject({ id: user.id });
    }
  });
});

describe("sign-in audit", () => {
  it("records a sign-in with its address, and a refusal with its reason", async () => {
    const user = await newUser();
    const address = freshAddress();
    await attempt(user.email, "not the password", address);
    await attempt(user.email, PASSWORD, address);
    await attempt(uniqueEmail("nobody"), PASSWORD, address);
    await attempt("my password typed in the email box", PASSWORD, address);

    const events = await auditFor({ action: "auth.sign_in", targetId: user.id });
    expect(events).toMatchObject([{ actor: user.email, targetType: "user", summary: `Signed in from ${address}` }]);
    const failed = await auditFor({ action: "auth.sign_in_failed", targetId: user.id });
    expect(failed).toMatchObject([{ actor: user.email, summary: `Sign-in refused from ${address}: wrong password` }]);
    const db = await getPrisma();
    const strangers = await db.auditEvent.findMany({ where: { action: "auth.sign_in_failed", targetId: null, summary: { contains: address } } });
    expect(strangers.map((event) => [event.actor, event.summary]).sort()).toEqual(
      [
        [expect.stringMatching(/^nobody-/), `Sign-in refused from ${address}: no such account`],
        ["(not an email)", `Sign-in refused from ${address}: no such account`],
      ].sort(),
    );
    // What was typed in the email box is not kept when it is not an email.
    expect(strangers.map((event) => `${event.actor} ${event.summary}`).join("\n")).not.toContain("typed in the email box");
  });

  it("refuses a disabled account and says so in the audit", async () => {
    const user = await newUser();
    const db = await getPrisma();
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await attempt(user.email, PASSWORD, freshAddress())).toBeNull();
    const [event] = await auditFor({ action: "auth.sign_in_failed", targetId: user.id });
    expect(event.summary).toMatch(/the account is disabled$/);
  });
});

describe("password hashes", () => {
  it("stores argon2id for new passwords", async () => {
    const user = await newUser();
    const db = await getPrisma();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("verifies an old bcrypt hash and replaces it with argon2id at the next successful sign-in", async () => {
    const user = await newUser();
    const db = await getPrisma();
    const legacy = await bcrypt.hash(PASSWORD, 4);
    await db.user.update({ where: { id: user.id }, data: { passwordHash: legacy } });

    expect(await attempt(user.email, "wrong password here", freshAddress())).toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(legacy);

    expect(await attempt(user.email, PASSWORD, freshAddress())).toMatchObject({ id: user.id });
    const rehashed = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(rehashed).toMatch(/^\$argon2id\$/);
    expect(await attempt(user.email, PASSWORD, freshAddress())).toMatchObject({ id: user.id });
    expect(await attempt(user.email, "wrong password here", freshAddress())).toBeNull();
  });
});
