// The secret that signs session cookies. Required in production; on the embedded default it is
// generated once and kept in the data directory so sessions survive restarts.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let cached: string | undefined;

export function authSecret(): string {
  if (cached) return cached;
  if (env.AUTH_SECRET) return (cached = env.AUTH_SECRET);
  if (env.NODE_ENV === "production" && env.DATABASE_URL) {
    throw new Error("AUTH_SECRET is required in production (at least 16 characters).");
  }
  const file = path.resolve(env.TICKWORK_DATA_DIR, "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    cached = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync(file, cached, { mode: 0o600 });
  }
  return cached;
}
