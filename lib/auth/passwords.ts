import crypto from "node:crypto";
import bcrypt from "bcryptjs";

const COST = 12;

export const hashPassword = (password: string): Promise<string> => bcrypt.hash(password, COST);

export const verifyPassword = (password: string, hash: string): Promise<boolean> => bcrypt.compare(password, hash);

/** A password people can type: 20 characters from an unambiguous alphabet (about 110 bits). */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from(crypto.randomBytes(20), (byte) => alphabet[byte % alphabet.length]).join("");
}
