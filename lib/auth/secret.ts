// The secret that signs session cookies. Required in production with DATABASE_URL; otherwise it is
// generated once and kept in the data directory (0600) so sessions survive restarts. A file that
// is missing, empty or too short to be a secret is replaced with a new one, with a warning (its
// sessions end): an empty file would otherwise sign every cookie with "".
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { ensurePrivateDir } from "@/lib/private-dir";

/** What we generate is 43 characters; anything under 32 was not made by us and is too weak. */
export const MIN_SECRET_LENGTH = 32;

let cached: string | undefined;

export function authSecret(): string {
  if (cached) return cached;
  if (env.AUTH_SECRET) return (cached = env.AUTH_SECRET);
  if (env.NODE_ENV === "production" && env.DATABASE_URL) {
    throw new Error("AUTH_SECRET is required in production (at least 16 characters).");
  }
  return (cached = secretFromFile(path.resolve(env.TICKWORK_DATA_DIR, "auth-secret")));
}

/** The secret in `file`, made (or remade) first when it is missing, empty or short. */
export function secretFromFile(file: string): string {
  ensurePrivateDir(path.dirname(file));
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (existing !== undefined && existing.length >= MIN_SECRET_LENGTH) {
    fs.chmodSync(file, 0o600);
    return existing;
  }
  const secret = crypto.randomBytes(32).toString("base64url");
  if (existing === undefined) {
    try {
      // "wx": if another process made it meanwhile, use theirs.
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return secretFromFile(file);
      throw error;
    }
  }
  logger.warn(`${file} held ${existing === "" ? "no secret" : "a secret shorter than 32 characters"}; wrote a new one (signed-in sessions end)`);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, secret, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return secret;
}
