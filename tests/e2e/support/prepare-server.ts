// Runs before the e2e server is built and started (from the webServer command, because
// Playwright starts the webServer before globalSetup): a fresh data directory, and on PostgreSQL
// an empty public schema, so the server's first start creates ADMIN_EMAIL as the first admin.
import fs from "node:fs";
import pg from "pg";
import { E2E_DATA_DIR, e2eDatabase } from "./settings";

async function query(url: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DATA_DIR, { recursive: true });
  const database = e2eDatabase();
  if (!database) {
    console.log(`[e2e] embedded database in ${E2E_DATA_DIR}`);
    return;
  }
  const target = new URL(database.url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (database.maintenanceUrl) {
    const exists = await query(database.maintenanceUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await query(database.maintenanceUrl, `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  }
  await query(database.url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  target.password = "";
  console.log(`[e2e] PostgreSQL database ${target.toString()} (fresh public schema)`);
}

main().catch((error) => {
  console.error("[e2e] could not prepare the server's database:", error);
  process.exit(1);
});
