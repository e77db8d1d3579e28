// Where the e2e server runs and which database it uses, shared by playwright.config.ts, the
// server preparation script and the specs (each process computes the same answer from the env).
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

/** A throwaway data directory: the embedded database, its auth secret. Removed before each start. */
export const E2E_DATA_DIR = path.join(ROOT, ".data-e2e");

/** The first admin, created by the server from ADMIN_EMAIL/ADMIN_PASSWORD on its fresh database. */
export const ADMIN = { email: "admin@tickwork.test", password: "e2e-admin-password-0123" };

export const AUTH_SECRET = "e2e-auth-secret-that-is-long-enough-0123456789";

export interface E2eDatabase {
  /** The database the app runs against; its public schema is recreated before the server starts. */
  url: string;
  /** When set, a database on the same server to connect to for creating `url`'s database. */
  maintenanceUrl?: string;
}

/**
 * PostgreSQL for the e2e server: E2E_DATABASE_URL as given, or a sibling `<name>_e2e` database on
 * the TEST_DATABASE_URL server, so the e2e run never wipes the database vitest runs use.
 * Undefined means the embedded database in E2E_DATA_DIR.
 */
export function e2eDatabase(): E2eDatabase | undefined {
  if (process.env.E2E_DATABASE_URL) return { url: process.env.E2E_DATABASE_URL };
  if (!process.env.TEST_DATABASE_URL) return undefined;
  const url = new URL(process.env.TEST_DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1)) || "postgres";
  url.pathname = `/${name}_e2e`;
  return { url: url.toString(), maintenanceUrl: process.env.TEST_DATABASE_URL };
}
