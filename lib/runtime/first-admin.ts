// The first admin: ADMIN_EMAIL/ADMIN_PASSWORD for deployments; on the embedded default a
// generated password printed once. With a server and neither, `npm run user:create` makes one.
// Created once even when several instances start together on an empty database.
import { countUsers, createFirstUser } from "@/lib/auth/users";
import { generatePassword } from "@/lib/auth/passwords";
import { env, usesEmbeddedDatabase } from "@/lib/env";
import { logger } from "@/lib/log";

export const DEFAULT_ADMIN_EMAIL = "admin@tickwork.local";

export interface FirstAdminConfig {
  email?: string;
  password?: string;
  /** On the embedded database a password is generated (and printed once) when none is given. */
  embedded: boolean;
}

const fromEnv = (): FirstAdminConfig => ({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, embedded: usesEmbeddedDatabase() });

/** Creates the first admin when there are no users. Returns true when this call did (a first start). */
export async function ensureFirstAdmin(config: FirstAdminConfig = fromEnv()): Promise<boolean> {
  if (config.email && config.password) {
    const created = await createFirstUser({ email: config.email, password: config.password, role: "admin", name: "Administrator" });
    if (created) logger.info("Created the first admin from ADMIN_EMAIL", { email: created.email });
    return created !== null;
  }
  if (!config.embedded) {
    if ((await countUsers()) === 0) {
      logger.warn("No users yet. Set ADMIN_EMAIL and ADMIN_PASSWORD, or run: npm run user:create -- --email you@example.com --role admin");
    }
    return false;
  }
  const email = config.email ?? DEFAULT_ADMIN_EMAIL;
  const password = generatePassword();
  if (!(await createFirstUser({ email, password, role: "admin", name: "Administrator" }))) return false;
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
