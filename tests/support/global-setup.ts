// One database for the whole run: a fresh schema on TEST_DATABASE_URL (PostgreSQL, as in CI), or
// an in-memory embedded PGlite server. Workers get its URL through `inject("databaseUrl")`.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedServer, type EmbeddedServer } from "../../lib/db/embedded";

let embedded: EmbeddedServer | undefined;

async function resetSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await client.end();
}

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (url) {
    await resetSchema(url);
  } else {
    embedded = await startEmbeddedServer("memory://");
    url = embedded.url;
  }
  project.provide("databaseUrl", url);
  project.provide("databaseKind", process.env.TEST_DATABASE_URL ? "postgres" : "embedded");
}

export async function teardown() {
  await embedded?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "postgres" | "embedded";
  }
}
