// Test data made through the services, as users would make it.
import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ACTOR, type Role } from "@/lib/auth/roles";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { createUser } from "@/lib/auth/users";
import { authSecret } from "@/lib/auth/secret";
import type { JobInput } from "@/lib/jobs/schemas";

/** Empties every table but the migrations, then puts back the system-managed jobs. */
export async function resetDatabase(): Promise<void> {
  const db = await getPrisma();
  await db.$executeRawUnsafe(
    "TRUNCATE executions, audit_events, jobs, api_tokens, users, login_failures, scheduler_instances CASCADE",
  );
  const { upsertSystemJobs } = await import("@/lib/jobs/system");
  await upsertSystemJobs();
}

export interface Identities {
  viewer: string;
  operator: string;
  admin: string;
  revoked: string;
  users: Record<Role, { id: string; email: string }>;
}

/** A user and an API token for every role, plus a revoked operator token. */
export async function createIdentities(): Promise<Identities> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const users = {} as Identities["users"];
  const tokens = {} as Record<Role, string>;
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser({
      actor: SYSTEM_ACTOR,
      input: { email: `${role}-${suffix}@example.test`, role, password: "correct horse battery" },
    });
    users[role] = { id: user.id, email: user.email };
    tokens[role] = (await createToken({ actor: SYSTEM_ACTOR, input: { name: `${role}-${suffix}`, role } })).token;
  }
  const revoked = await createToken({ actor: SYSTEM_ACTOR, input: { name: `revoked-${suffix}`, role: "operator" } });
  await revokeToken({ actor: SYSTEM_ACTOR, input: { id: revoked.record.id } });
  return { ...tokens, revoked: revoked.token, users };
}

/** A next-auth session cookie for a user, as the browser would send it. */
export async function sessionCookie(user: { id: string; email: string }, role: Role): Promise<string> {
  const token = await encode({ token: { sub: user.id, email: user.email, role }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

let counter = 0;

export function jobInput(overrides: Partial<JobInput> = {}): JobInput {
  counter += 1;
  return {
    name: `Test job ${counter} ${crypto.randomUUID().slice(0, 6)}`,
    type: "demo.sleep",
    params: { durationMs: 10, steps: 1 },
    schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
    ...overrides,
  };
}
