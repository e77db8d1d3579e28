// Encryption of secret values at rest: AES-256-GCM with a fresh nonce per write and the secret's
// name as additional data (a value copied to another row does not decrypt). The key is
// TICKWORK_SECRETS_KEY, else derived from the auth secret with HKDF-SHA256.
import crypto from "node:crypto";
import { authSecret } from "@/lib/auth/secret";
import { env, secretsKeyBytes } from "@/lib/env";

interface Key {
  bytes: Buffer;
  /** A fingerprint stored with each value, so a changed key is named as the cause. */
  id: string;
}

let cached: Key | undefined;

function key(): Key {
  if (cached) return cached;
  const bytes = env.TICKWORK_SECRETS_KEY
    ? secretsKeyBytes(env.TICKWORK_SECRETS_KEY)!
    : Buffer.from(crypto.hkdfSync("sha256", authSecret(), "tickwork-secrets", "aes-256-gcm v1", 32));
  const id = crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  cached = { bytes, id };
  return cached;
}

export interface Sealed {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
  keyId: string;
}

export function seal(name: string, value: string): Sealed {
  const { bytes, id } = key();
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", bytes, iv);
  cipher.setAAD(Buffer.from(name));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return { ciphertext: new Uint8Array(ciphertext), iv: new Uint8Array(iv), authTag: new Uint8Array(cipher.getAuthTag()), keyId: id };
}

export function open(name: string, sealed: Sealed): string {
  const { bytes, id } = key();
  if (sealed.keyId !== id) {
    throw new Error(`Secret ${name} was encrypted with another key (TICKWORK_SECRETS_KEY or the auth secret changed); set it again`);
  }
  const decipher = crypto.createDecipheriv("aes-256-gcm", bytes, sealed.iv);
  decipher.setAAD(Buffer.from(name));
  decipher.setAuthTag(sealed.authTag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
}
