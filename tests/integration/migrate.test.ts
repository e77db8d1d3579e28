// The migrator (lib/db/migrate.ts) on a scratch database of its own, so the shared test database is
// left alone: Prisma-compatible bookkeeping, idempotence, refusal of edited migrations, rollback of
// a failing one, and instances starting together.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations, type MigrationFile } from "@/lib/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database";

const kind = inject("databaseKind");
const ROOT = path.resolve(import.meta.dirname, "../..");
// The key lib/db/migrate.ts locks. The concurrency tests hold it themselves so that both migrators
// are certainly waiting on it at once; if the key changes, they fail saying nobody waited.
const ADVISORY_LOCK_KEY = 7_406_512_931;

const sha256 = (content: string | Buffer) => crypto.createHash("sha256").update(content).digest("hex");

/** A migration as readMigrations would read it from a folder of that name. */
const migration = (name: string, sql: string): MigrationFile => ({ name, sql, checksum: sha256(sql) });

const REAL = readMigrations();
const REAL_NAMES = REAL.map((file) => file.name);
// Sorts after every real migration, as a migration written later would.
const LATER = "29991231000000";

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

let db: ScratchDatabase;

const rows = () =>
  db.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);

const relationExists = async (name: string) =>
  (await db.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [`public."${name}"`]))[0]
    .found !== null;

const typeExists = async (name: string) =>
  (await db.query("SELECT 1 FROM pg_type WHERE typname = $1", [name])).length > 0;

beforeAll(async () => {
  db = await createScratchDatabase();
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await db.reset();
});

describe("readMigrations", () => {
  it("reads prisma/migrations in name order, with the sha256 of each file as its checksum", () => {
    const folders = fs
      .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);
    expect(REAL_NAMES).toEqual(folders);
    for (const file of REAL) {
      const bytes = fs.readFileSync(path.join(MIGRATIONS_DIR, file.name, "migration.sql"));
      expect(file.checksum).toBe(sha256(bytes));
      expect(file.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe("migrate", () => {
  it("applies every migration and records it as Prisma Migrate does", async () => {
    const before = new Date(Date.now() - 1000);
    const result = await migrate(db.url);
    expect(result).toEqual({ applied: REAL_NAMES, alreadyApplied: [] });

    const recorded = await rows();
    expect(recorded.map((row) => row.migration_name)).toEqual(REAL_NAMES);
    for (const row of recorded) {
      const file = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(sha256(file));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.started_at.getTime()).toBeGreaterThan(before.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
    }
    for (const table of ["users", "api_tokens", "jobs", "executions", "audit_events", "sign_in_limits"]) {
      expect(await relationExists(table), table).toBe(true);
    }
  });

  it("creates _prisma_migrations with Prisma Migrate's own layout", async () => {
    await migrate(db.url);
    const columns = await db.query<{ column_name: string; type: string; not_null: boolean; default: string | null }>(`
      SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
             pg_get_expr(d.adbin, d.adrelid) AS default
      FROM pg_attribute a
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = 'public._prisma_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`);
    expect(columns).toEqual([
      { column_name: "id", type: "character varying(36)", not_null: true, default: null },
      { column_name: "checksum", type: "character varying(64)", not_null: true, default: null },
      { column_name: "finished_at", type: "timestamp with time zone", not_null: false, default: null },
      { column_name: "migration_name", type: "character varying(255)", not_null: true, default: null },
      { column_name: "logs", type: "text", not_null: false, default: null },
      { column_name: "rolled_back_at", type: "timestamp with time zone", not_null: false, default: null },
      { column_name: "started_at", type: "timestamp with time zone", not_null: true, default: "now()" },
      { column_name: "applied_steps_count", type: "integer", not_null: true, default: "0" },
    ]);
    const [primaryKey] = await db.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'public._prisma_migrations'::regclass AND contype = 'p'`,
    );
    expect(primaryKey.def).toBe("PRIMARY KEY (id)");
  });

  it("applies nothing on a second run", async () => {
    await migrate(db.url);
    const first = await rows();
    const result = await migrate(db.url);
    expect(result).toEqual({ applied: [], alreadyApplied: REAL_NAMES });
    expect(await rows()).toEqual(first);
  });

  it("refuses a migration edited after it was applied, naming it, and applies nothing after it", async () => {
    await migrate(db.url);
    const before = await rows();

    // A checkout where the first migration was edited and a new one was added after it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-migrations-"));
    try {
      fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const edited = REAL_NAMES[0];
      fs.appendFileSync(path.join(dir, edited, "migration.sql"), '\nALTER TABLE "jobs" ADD COLUMN "sneaky" TEXT;\n');
      fs.mkdirSync(path.join(dir, `${LATER}_after_edit`));
      fs.writeFileSync(path.join(dir, `${LATER}_after_edit`, "migration.sql"), 'CREATE TABLE "after_edit" ("id" INTEGER);\n');

      const attempt = migrate(db.url, readMigrations(dir));
      await expect(attempt).rejects.toThrow(MigrationError);
      await expect(attempt).rejects.toThrow(new RegExp(`Migration ${edited} was edited after it was applied`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    expect(await rows()).toEqual(before);
    expect(await relationExists("after_edit")).toBe(false);
    const sneaky = await db.query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'jobs' AND column_name = 'sneaky'",
    );
    expect(sneaky).toEqual([]);
  });

  it("refuses an edit to the last applied migration too (a modified files array)", async () => {
    const files = [...REAL, migration(`${LATER}_probe`, 'CREATE TABLE "probe" ("id" INTEGER);')];
    await migrate(db.url, files);
    const edited = files.map((file, i) =>
      i === files.length - 1 ? migration(file.name, 'CREATE TABLE "probe" ("id" BIGINT);') : file,
    );
    await expect(migrate(db.url, edited)).rejects.toThrow(
      new RegExp(`^Migration ${LATER}_probe was edited after it was applied`),
    );
  });

  // PRODUCT BUG (lib/db/migrate.ts checkApplied): Prisma Migrate accepts an applied migration whose
  // file differs only in line endings (script_matches_checksum in prisma-engines
  // schema-engine/connectors/schema-connector/src/checksum.rs also tries CRLF->LF and LF->CRLF),
  // because git checkouts with core.autocrlf rewrite them. Our migrator refuses such a checkout as
  // "edited", so the app will not start on Windows against a database migrated from Linux, while
  // `prisma migrate status` reports it up to date. There is no .gitattributes pinning eol=lf either.
  it("accepts an applied migration whose file differs only in line endings, as Prisma does", async () => {
    await migrate(db.url);
    const crlf = REAL.map((file) => migration(file.name, file.sql.replaceAll("\n", "\r\n")));
    expect(await migrate(db.url, crlf)).toEqual({ applied: [], alreadyApplied: REAL_NAMES });
  });

  it("applies a migration added later on the next run", async () => {
    await migrate(db.url);
    const added = migration(`${LATER}_add_probe`, 'CREATE TABLE "probe" ("id" INTEGER PRIMARY KEY);');
    const result = await migrate(db.url, [...REAL, added]);
    expect(result).toEqual({ applied: [added.name], alreadyApplied: REAL_NAMES });
    expect(await relationExists("probe")).toBe(true);
    const recorded = await rows();
    expect(recorded.map((row) => row.migration_name)).toEqual([...REAL_NAMES, added.name]);
    expect(recorded.at(-1)).toMatchObject({ checksum: added.checksum, applied_steps_count: 1 });
  });

  it("rolls a failing migration back completely and records nothing for it", async () => {
    const broken = migration(
      `${LATER}_broken`,
      [
        'CREATE TYPE "PartialKind" AS ENUM (\'a\', \'b\');',
        'CREATE TABLE "partial_a" ("id" INTEGER, "kind" "PartialKind");',
        'INSERT INTO "partial_a" VALUES (1, \'a\');',
        'ALTER TABLE "jobs" ADD COLUMN "partial_column" TEXT;',
        "SELECT 1 / 0;",
      ].join("\n"),
    );
    const attempt = migrate(db.url, [...REAL, broken]);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(new RegExp(`Migration ${broken.name} failed: division by zero`));

    // The migrations before it committed on their own; nothing of the broken one is left.
    expect((await rows()).map((row) => row.migration_name)).toEqual(REAL_NAMES);
    expect(await relationExists("partial_a")).toBe(false);
    expect(await typeExists("PartialKind")).toBe(false);
    expect(
      await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'jobs' AND column_name = 'partial_column'"),
    ).toEqual([]);

    // Fixed under the same name, it applies on the next start.
    const fixed = migration(broken.name, 'CREATE TABLE "partial_a" ("id" INTEGER);');
    expect(await migrate(db.url, [...REAL, fixed])).toEqual({ applied: [fixed.name], alreadyApplied: REAL_NAMES });
  });

  it("records a migration in the same transaction as its changes", async () => {
    // PostgreSQL already runs a multi-statement query atomically, so the test above would pass
    // without BEGIN/COMMIT too; here the SQL succeeds and recording it fails, which only the
    // migrator's own transaction can undo.
    const name = `${LATER}_unrecordable`;
    const unrecordable = migration(
      name,
      `CREATE TABLE "recorded_together" ("id" INTEGER);
       ALTER TABLE "_prisma_migrations" ADD CONSTRAINT "refuse_row" CHECK (migration_name <> '${name}') NOT VALID;`,
    );
    await expect(migrate(db.url, [...REAL, unrecordable])).rejects.toThrow(
      new RegExp(`Migration ${name} failed: .*refuse_row`),
    );
    expect(await relationExists("recorded_together")).toBe(false);
    expect(await db.query("SELECT 1 FROM pg_constraint WHERE conname = 'refuse_row'")).toEqual([]);
    expect((await rows()).map((row) => row.migration_name)).toEqual(REAL_NAMES);
  });

  it("refuses to go on past a migration that was started but never finished", async () => {
    await migrate(db.url, []); // creates _prisma_migrations only
    const [first] = REAL;
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, applied_steps_count) VALUES ($1, $2, $3, 0)`,
      [crypto.randomUUID(), first.checksum, first.name],
    );
    await expect(migrate(db.url)).rejects.toThrow(new RegExp(`^Migration ${first.name} was started but never finished`));
    expect(await relationExists("jobs")).toBe(false);
  });

  it("applies again a migration marked rolled back (as `prisma migrate resolve --rolled-back` does)", async () => {
    await migrate(db.url, []);
    const [first] = REAL;
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, rolled_back_at) VALUES ($1, $2, $3, now())`,
      [crypto.randomUUID(), "0".repeat(64), first.name],
    );
    const result = await migrate(db.url);
    expect(result.applied).toEqual(REAL_NAMES);
    const recorded = await db.query<MigrationRow>(
      `SELECT * FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`,
      [first.name],
    );
    expect(recorded).toHaveLength(1);
    expect(recorded[0].checksum).toBe(first.checksum);
  });
});

describe("migrators starting together", () => {
  /**
   * Holds the migrator's advisory lock while `start` launches the migrators, waits until `count`
   * of them are blocked on it, then lets them go. Without the lock in lib/db/migrate.ts nobody
   * waits and this fails, instead of passing by luck of timing.
   */
  async function releaseWhenWaiting(count: number, start: () => Promise<unknown>[]): Promise<unknown[]> {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
      const running = start();
      const settled = Promise.allSettled(running);
      let finishedEarly = false;
      void settled.then(() => (finishedEarly = true));
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [{ waiting }] = (
          await holder.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_locks
             WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          )
        ).rows;
        if (waiting === count) break;
        if (finishedEarly || Date.now() > deadline) {
          await holder.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
          await settled;
          throw new Error(`Expected ${count} migrators waiting on advisory lock ${ADVISORY_LOCK_KEY}; saw ${waiting}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
      return await Promise.all(running);
    } finally {
      await holder.end();
    }
  }

  async function expectEachAppliedOnce(results: { applied: string[]; alreadyApplied: string[] }[]) {
    const sorted = [...results].sort((a, b) => b.applied.length - a.applied.length);
    expect(sorted).toEqual([
      { applied: REAL_NAMES, alreadyApplied: [] },
      { applied: [], alreadyApplied: REAL_NAMES },
    ]);
    const counts = await db.query<{ migration_name: string; count: number }>(
      `SELECT migration_name, count(*)::int AS count FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`,
    );
    expect(counts).toEqual(REAL_NAMES.map((name) => ({ migration_name: name, count: 1 })));
  }

  // PGlite serves a single session to every connection, and advisory locks belong to the session,
  // so two connections to the embedded server do not exclude each other. The embedded database is
  // documented as one instance only; the guarantee is for PostgreSQL.
  it.skipIf(kind === "embedded")("apply each migration once when two start at once in one process", async () => {
    const results = (await releaseWhenWaiting(2, () => [migrate(db.url), migrate(db.url)])) as Awaited<
      ReturnType<typeof migrate>
    >[];
    await expectEachAppliedOnce(results);
  });

  function runMigrateProcess(url: string): Promise<{ applied: string[]; alreadyApplied: string[] }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "tests/support/migrate-cli.ts", url], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve(JSON.parse(stdout));
        else reject(new Error(`migrate-cli exited with ${code}: ${stderr}`));
      });
    });
  }

  // Same reason as above: PostgreSQL only.
  it.skipIf(kind === "embedded")("apply each migration once when two processes start at once", async () => {
    const results = (await releaseWhenWaiting(2, () => [runMigrateProcess(db.url), runMigrateProcess(db.url)])) as Awaited<
      ReturnType<typeof migrate>
    >[];
    await expectEachAppliedOnce(results);
  });
});
