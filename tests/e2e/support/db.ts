// Direct database reads for the specs, to check what the screen and API say against the rows:
// the e2e PostgreSQL database, or the embedded one through the address the running app records.
import pg from "pg";
import { findRunningEmbedded } from "../../../lib/db/embedded";
import { E2E_DATA_DIR, e2eDatabase } from "./settings";

async function databaseUrl(): Promise<string> {
  const database = e2eDatabase();
  if (database) return database.url;
  const url = await findRunningEmbedded(E2E_DATA_DIR);
  if (!url) throw new Error(`No running embedded database recorded in ${E2E_DATA_DIR}; is the e2e server up?`);
  return url;
}

export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: await databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
