// Applies prisma/migrations/*/migration.sql in order, each in its own transaction, under an
// advisory lock so instances starting together apply each migration once. Rows go to
// _prisma_migrations with Prisma's checksum (sha256 of the file), so `prisma migrate status`
// agrees where the schema engine exists. An applied migration whose file changed is refused.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export const MIGRATIONS_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), "prisma", "migrations");

// Any constant works; it only has to be the same for every instance.
const ADVISORY_LOCK_KEY = 7_406_512_931;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/** Like Prisma Migrate, a file that differs only in line endings (a Windows checkout) is the same migration. */
function matchesChecksum(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, "\n");
  return [sql, lf, lf.replace(/\n/g, "\r\n")].some((variant) => sha256(variant) === checksum);
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: sha256(sql) };
    });
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

function checkApplied(file: MigrationFile, row: AppliedRow): void {
  if (!row.finished_at) {
    throw new MigrationError(
      `Migration ${file.name} was started but never finished. Inspect the database, then mark it ` +
        "rolled back in _prisma_migrations before starting again.",
    );
  }
  if (!matchesChecksum(file.sql, row.checksum)) {
    throw new MigrationError(
      `Migration ${file.name} was edited after it was applied (checksum ${row.checksum} in the ` +
        `database, ${file.checksum} on disk). Restore the original file and put changes in a new migration.`,
    );
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [crypto.randomUUID(), file.checksum, file.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
  }
}

export async function migrate(databaseUrl: string, files = readMigrations()): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
         WHERE rolled_back_at IS NULL`,
      );
      const applied = new Map(rows.map((row) => [row.migration_name, row]));
      const result: MigrateResult = { applied: [], alreadyApplied: [] };
      for (const file of files) {
        const row = applied.get(file.name);
        if (row) {
          checkApplied(file, row);
          result.alreadyApplied.push(file.name);
          continue;
        }
        await applyOne(client, file);
        result.applied.push(file.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
