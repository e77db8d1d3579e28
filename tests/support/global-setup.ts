// One database for the whole run: a new database created on the TEST_DATABASE_URL server
// (PostgreSQL, as in CI) and dropped afterwards, so parallel runs never share state; or an
// in-memory embedded PGlite server. Workers get its URL through `inject("databaseUrl")`.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedServer, type EmbeddedServer } from "../../lib/db/embedded";

let embedded: EmbeddedServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createRunDatabase(serverUrl: string): Promise<string> {
  const name = `tickwork_test_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  dropDatabase = () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let url: string;
  if (serverUrl) {
    url = await createRunDatabase(serverUrl);
  } else {
    embedded = await startEmbeddedServer("memory://");
    url = embedded.url;
  }
  project.provide("databaseUrl", url);
  project.provide("databaseKind", serverUrl ? "postgres" : "embedded");
}

export async function teardown() {
  await embedded?.stop();
  await dropDatabase?.();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "postgres" | "embedded";
  }
}
