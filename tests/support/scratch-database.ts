// A fresh database of the run's kind, apart from the shared test database, for tests that need an
// empty one (the migrator's): a new database on the same PostgreSQL server, or a separate
// in-memory embedded server. Create it in beforeAll and drop it in afterAll.
import crypto from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { startEmbeddedServer } from "@/lib/db/embedded";

export interface ScratchDatabase {
  url: string;
  kind: "postgres" | "embedded";
  /** Runs one statement on a connection of its own. */
  query<T extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops everything the previous test made: the public schema, with _prisma_migrations. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

async function queryOnce<T extends pg.QueryResultRow>(url: string, sql: string, params?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const kind = inject("databaseKind");
  let url: string;
  let drop: () => Promise<void>;
  if (kind === "postgres") {
    const serverUrl = inject("databaseUrl");
    const name = `tickwork_scratch_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await queryOnce(serverUrl, `CREATE DATABASE "${name}"`);
    const scratch = new URL(serverUrl);
    scratch.pathname = `/${name}`;
    url = scratch.toString();
    drop = async () => {
      await queryOnce(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
  } else {
    const server = await startEmbeddedServer("memory://");
    url = server.url;
    drop = () => server.stop();
  }
  return {
    url,
    kind,
    query: (sql, params) => queryOnce(url, sql, params),
    reset: async () => {
      await queryOnce(url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    },
    drop,
  };
}
