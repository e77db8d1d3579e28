// At most 10 failed sign-ins per email and address in 15 minutes; kept in the database so every
// instance counts the same attempts.
import { getPrisma } from "@/lib/db";

export const LOGIN_LIMIT = { attempts: 10, windowMs: 15 * 60_000 };

const windowStart = () => new Date(Date.now() - LOGIN_LIMIT.windowMs);

export async function isLoginLimited(email: string, address: string): Promise<boolean> {
  const db = await getPrisma();
  const failures = await db.loginFailure.count({
    where: { email: email.trim().toLowerCase(), address, at: { gte: windowStart() } },
  });
  return failures >= LOGIN_LIMIT.attempts;
}

export async function recordLoginFailure(email: string, address: string): Promise<void> {
  const db = await getPrisma();
  await db.$transaction([
    db.loginFailure.create({ data: { email: email.trim().toLowerCase(), address } }),
    // Old rows are worthless; dropping them here keeps the table small without a separate job.
    db.loginFailure.deleteMany({ where: { at: { lt: windowStart() } } }),
  ]);
}

export async function clearLoginFailures(email: string, address: string): Promise<void> {
  const db = await getPrisma();
  await db.loginFailure.deleteMany({ where: { email: email.trim().toLowerCase(), address } });
}

/** The client address as seen by the app: the first X-Forwarded-For hop, else X-Real-IP. */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>): string {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return get("x-forwarded-for")?.split(",")[0]?.trim() || get("x-real-ip")?.trim() || "unknown";
}
