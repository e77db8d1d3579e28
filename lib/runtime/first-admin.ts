// The first admin: ADMIN_EMAIL/ADMIN_PASSWORD for deployments; on the embedded default a
// generated password printed once. With a server and neither, `npm run user:create` makes one.
import { countUsers, createUser } from "@/lib/auth/users";
import { generatePassword } from "@/lib/auth/passwords";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { env, usesEmbeddedDatabase } from "@/lib/env";
import { logger } from "@/lib/log";

export const DEFAULT_ADMIN_EMAIL = "admin@tickwork.local";

/** Creates the first admin when there are no users. Returns true when it did (a first start). */
export async function ensureFirstAdmin(): Promise<boolean> {
  if ((await countUsers()) > 0) return false;
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    await createUser({ actor: SYSTEM_ACTOR, input: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, role: "admin", name: "Administrator" } });
    logger.info("Created the first admin from ADMIN_EMAIL", { email: env.ADMIN_EMAIL });
    return true;
  }
  if (!usesEmbeddedDatabase()) {
    logger.warn("No users yet. Set ADMIN_EMAIL and ADMIN_PASSWORD, or run: npm run user:create -- --email you@example.com --role admin");
    return false;
  }
  const email = env.ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL;
  const password = generatePassword();
  await createUser({ actor: SYSTEM_ACTOR, input: { email, password, role: "admin", name: "Administrator" } });
  const banner = [
    "",
    "  ┌──────────────────────────────────────────────────────────────┐",
    "  │ Tickwork created the first admin. This is shown only once.   │",
    `  │   email:    ${email.padEnd(49)}│`,
    `  │   password: ${password.padEnd(49)}│`,
    "  │ Add more people with: npm run user:create -- --email ...     │",
    "  └──────────────────────────────────────────────────────────────┘",
    "",
  ].join("\n");
  process.stdout.write(banner + "\n");
  return true;
}
