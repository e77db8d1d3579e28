// Password hashes: argon2id (a native binding that hashes on libuv's thread pool, so a sign-in
// never blocks the event loop that ticks and heartbeats). Hashes made by earlier versions with
// bcrypt still verify, and `needsRehash` tells the sign-in to replace them with argon2id.
import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

/** OWASP's first argon2id choice: 19 MiB, 2 passes, 1 lane (about 15 ms here). Argon2id is the binding's default algorithm. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;
const BCRYPT = /^\$2[abxy]\$/;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (BCRYPT.test(stored)) return bcrypt.compare(password, stored);
  try {
    return await verify(stored, password);
  } catch {
    // Not a hash we know (a damaged row): no password matches it.
    return false;
  }
}

/** True for a bcrypt hash or argon2 with other parameters: the next successful sign-in stores a new one. */
export const needsRehash = (stored: string): boolean => !stored.startsWith(CURRENT_PREFIX);

/** Verified against when the email is unknown, so the answer takes as long as for a real account (no one has its password). */
export const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$ZHVtbXktc2FsdC0xMjM0NQ$r18so6vGEjrkNhSR7WcgQmq8nVetV0F1DytZvENbXM4";

/** A password people can type: 20 characters from an unambiguous alphabet (about 110 bits). */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from(crypto.randomBytes(20), (byte) => alphabet[byte % alphabet.length]).join("");
}
