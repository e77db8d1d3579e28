// Signing in with an email and password. Each attempt is counted before its password is checked,
// in one statement that also reads the counts, so parallel attempts cannot slip past a limit:
// at most 10 attempts per account from one client address and 50 per address in 15 minutes. A
// success takes its attempts back. Limits are per address, so someone guessing from one address
// never locks the account's owner out from another. Sign-ins and refusals are audited.
import crypto from "node:crypto";
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "./passwords";
import type { Actor } from "./roles";

export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 50, windowSeconds: 15 * 60 };

export interface SignInAttempt {
  email: string;
  address: string;
}

const normalize = (email: string) => email.trim().toLowerCase().slice(0, 320);
const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
// Hashed: an email field sometimes holds a password typed in the wrong box.
const accountKey = ({ email, address }: SignInAttempt) => sha256(`account\n${normalize(email)}\n${address}`);
const addressKey = ({ address }: SignInAttempt) => sha256(`address\n${address}`);

/** What the audit shows for whoever tried: the email they typed when it is one. */
function claimant(email: string, userId: string | null = null): Actor {
  const parsed = z.email().safeParse(normalize(email));
  return { kind: "user", id: userId, name: parsed.success ? parsed.data : "(not an email)", role: "viewer" };
}

interface Counted {
  key: string;
  attempts: number;
  retry_after: number;
}

/**
 * Counts a sign-in attempt; throws RATE_LIMITED (with Retry-After) when it exceeds a limit, before
 * any password is checked. The first refusal of a window is audited, not every one, so a flood
 * cannot fill the audit trail.
 */
export async function admitSignIn(attempt: SignInAttempt): Promise<void> {
  const db = await getPrisma();
  const account = accountKey(attempt);
  const address = addressKey(attempt);
  // Rows in one order (account, then address) in every statement, so parallel attempts never deadlock.
  const rows = await db.$queryRaw<Counted[]>`
    INSERT INTO sign_in_limits (key, attempts, window_ends_at)
    VALUES (${account}, 1, now() + make_interval(secs => ${SIGN_IN_LIMITS.windowSeconds})),
           (${address}, 1, now() + make_interval(secs => ${SIGN_IN_LIMITS.windowSeconds}))
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN sign_in_limits.window_ends_at <= now() THEN 1 ELSE sign_in_limits.attempts + 1 END,
      window_ends_at = CASE WHEN sign_in_limits.window_ends_at <= now() THEN excluded.window_ends_at ELSE sign_in_limits.window_ends_at END
    RETURNING key, attempts, ceil(extract(epoch FROM window_ends_at - now()))::int AS retry_after`;
  const perAccount = rows.find((row) => row.key === account)!;
  const perAddress = rows.find((row) => row.key === address)!;
  // A new window for this address: a cheap moment to drop counters whose windows have ended.
  if (perAddress.attempts === 1) await db.$executeRaw`DELETE FROM sign_in_limits WHERE window_ends_at < now()`;

  const over = [
    { row: perAccount, limit: SIGN_IN_LIMITS.perAccount, what: "for this account from your address" },
    { row: perAddress, limit: SIGN_IN_LIMITS.perAddress, what: "from your address" },
  ].filter(({ row, limit }) => row.attempts > limit);
  if (over.length === 0) return;
  const retryAfterSeconds = Math.max(...over.map(({ row }) => row.retry_after));
  if (over.some(({ row, limit }) => row.attempts === limit + 1)) {
    await db.$transaction((tx) =>
      writeAudit(tx, {
        actor: claimant(attempt.email),
        action: "auth.sign_in_failed",
        targetType: "user",
        targetId: null,
        summary: `Sign-in refused from ${attempt.address}: too many attempts ${over[0].what}; further refusals until ${new Date(Date.now() + retryAfterSeconds * 1000).toISOString()} are not recorded`,
      }),
    );
  }
  const minutes = Math.ceil(retryAfterSeconds / 60);
  throw new DomainError("RATE_LIMITED", `Too many sign-in attempts ${over[0].what}; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`, {
    retryable: true,
    retryAfterSeconds,
  });
}

/**
 * Checks an admitted attempt's password (argon2id, off the event loop). On success: records the
 * sign-in, replaces an old-style hash, gives the attempt back; either way writes the audit event.
 */
export async function completeSignIn(attempt: SignInAttempt & { password: string }): Promise<Actor | null> {
  const db = await getPrisma();
  const email = normalize(attempt.email);
  const user = email ? await db.user.findUnique({ where: { email } }) : null;
  // An unknown email is checked against a dummy hash, so timing does not tell which emails exist.
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches || user.disabled) {
    const reason = !user ? "no such account" : !matches ? "wrong password" : "the account is disabled";
    await db.$transaction((tx) =>
      writeAudit(tx, {
        actor: claimant(attempt.email, user?.id ?? null),
        action: "auth.sign_in_failed",
        targetType: "user",
        targetId: user?.id ?? null,
        summary: `Sign-in refused from ${attempt.address}: ${reason}`,
      }),
    );
    return null;
  }
  const actor: Actor = { kind: "user", id: user.id, name: user.email, role: user.role };
  const newHash = needsRehash(user.passwordHash) ? await hashPassword(attempt.password) : null;
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    // Only if the password was not changed meanwhile.
    if (newHash) await tx.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: newHash } });
    await tx.$executeRaw`DELETE FROM sign_in_limits WHERE key = ${accountKey(attempt)}`;
    await tx.$executeRaw`UPDATE sign_in_limits SET attempts = greatest(attempts - 1, 0) WHERE key = ${addressKey(attempt)}`;
    await writeAudit(tx, {
      actor,
      action: "auth.sign_in",
      targetType: "user",
      targetId: user.id,
      summary: `Signed in from ${attempt.address}`,
    });
  });
  if (newHash) logger.info("Replaced an old password hash with argon2id", { user: user.email });
  return actor;
}
