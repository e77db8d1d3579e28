// Proves prisma/schema.prisma and the migrated database agree, since migrations are written by hand
// (the schema engine cannot run here): tables, columns with type, nullability and default, enum
// types, primary keys, uniques and indexes with column order and direction, and foreign keys.
// Both sides are rendered as lines such as `column jobs.next_run_at timestamp(3) with time zone NULL`,
// so a failure lists exactly what is missing from the database or absent from the schema.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";

const SCHEMA_PATH = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");

/** In the database on purpose though schema.prisma cannot say so (see the init migration). */
const DOCUMENTED_EXTRAS = [
  // Prisma Migrate's bookkeeping, written by lib/db/migrate.ts.
  "table _prisma_migrations",
  // Job names are unique among non-deleted jobs, ignoring case: a partial expression index.
  "unique index jobs_name_active_key ON jobs (lower(name)) WHERE (deleted_at IS NULL)",
  // A fire time is materialised once; only fires hold such a slot (retries and run-nows may share an instant).
  `unique index executions_job_id_scheduled_for_key ON executions (job_id, scheduled_for) WHERE (trigger <> ALL (ARRAY['manual'::"ExecutionTrigger", 'retry'::"ExecutionTrigger", 'chain'::"ExecutionTrigger"]))`,
];
const isBookkeeping = (table: string) => table === "_prisma_migrations";

// ---------------------------------------------------------------------------------------------
// schema.prisma, through the DMMF of the schema parser Prisma itself uses

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

function parseSchema(prismaSchema: string): Dmmf {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema })));
}

/** How PostgreSQL prints an identifier (format_type, pg_get_expr): quoted unless plain lower case. */
const ident = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => "text",
  Uuid: () => "uuid",
  VarChar: ([n]) => (n ? `character varying(${n})` : "character varying"),
  Char: ([n]) => `character(${n ?? 1})`,
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Decimal: ([p, s]) => (p ? `numeric(${p},${s ?? 0})` : "numeric"),
  Boolean: () => "boolean",
  Timestamptz: ([p]) => `timestamp(${p ?? 6}) with time zone`,
  Timestamp: ([p]) => `timestamp(${p ?? 6}) without time zone`,
  Date: () => "date",
  JsonB: () => "jsonb",
  Json: () => "json",
};

function columnType(field: DmmfField, enums: Map<string, string>): string {
  let type: string;
  if (field.kind === "enum") {
    type = ident(enums.get(field.type)!);
  } else if (field.nativeType) {
    const [native, args] = field.nativeType;
    const render = NATIVE_TYPES[native];
    if (!render) throw new Error(`schema-drift.test.ts: add @db.${native} to NATIVE_TYPES`);
    type = render(args);
  } else {
    type = SCALAR_TYPES[field.type];
    if (!type) throw new Error(`schema-drift.test.ts: add ${field.type} to SCALAR_TYPES`);
  }
  return field.isList ? `${type}[]` : type;
}

/** The default PostgreSQL reports for a column, or null when the database has none. */
function columnDefault(field: DmmfField, type: string, table: string): string | null {
  const value = field.default;
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && "name" in value) {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === "now") return "CURRENT_TIMESTAMP";
    if (fn.name === "dbgenerated") return String(fn.args[0]);
    // BIGSERIAL / SERIAL: PostgreSQL names the sequence <table>_<column>_seq.
    if (fn.name === "autoincrement") return `nextval('${table}_${field.dbName ?? field.name}_seq'::regclass)`;
    // uuid(), cuid(), nanoid() are filled in by the client, not the database.
    if (["uuid", "cuid", "nanoid", "ulid"].includes(fn.name)) return null;
    throw new Error(`schema-drift.test.ts: add @default(${fn.name}()) to columnDefault`);
  }
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'::${type.replace(/\(.*\)$/, "")}`;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return value < 0 ? literal(String(value)) : String(value);
  if (typeof value === "string") return literal(value);
  if (Array.isArray(value) && value.length === 0) return `ARRAY[]::${type}`;
  throw new Error(`schema-drift.test.ts: add default ${JSON.stringify(value)} to columnDefault`);
}

const ON_ACTION: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

interface SchemaLines {
  tables: string[];
  columns: string[];
  defaults: string[];
  enums: string[];
  indexes: string[];
  foreignKeys: string[];
}

/** What the migrations must have created, as derived from schema.prisma with Prisma's naming rules. */
function expectedFromSchema(prismaSchema: string): SchemaLines {
  const { datamodel } = parseSchema(prismaSchema);
  const enums = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const found = datamodel.models.find((m) => m.name === model)!.fields.find((f) => f.name === field)!;
    return found.dbName ?? found.name;
  };
  const lines: SchemaLines = { tables: [], columns: [], defaults: [], enums: [], indexes: [], foreignKeys: [] };

  for (const e of datamodel.enums) {
    lines.enums.push(`enum ${e.dbName ?? e.name} (${e.values.map((v) => v.dbName ?? v.name).join(", ")})`);
  }
  for (const model of datamodel.models) {
    const table = tableOf.get(model.name)!;
    lines.tables.push(`table ${table}`);
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (!field.relationFromFields?.length) continue;
        // Prisma's defaults: SetNull for an optional relation, Restrict for a required one; Cascade on update.
        const optional = field.relationFromFields.some((name) => !model.fields.find((f) => f.name === name)!.isRequired);
        const onDelete = ON_ACTION[field.relationOnDelete ?? (optional ? "SetNull" : "Restrict")];
        const onUpdate = ON_ACTION[field.relationOnUpdate ?? "Cascade"];
        const columns = field.relationFromFields.map((name) => columnOf(model.name, name));
        const refColumns = field.relationToFields!.map((name) => columnOf(field.type, name));
        // DMMF does not expose @relation(map:), so the name is always Prisma's default.
        lines.foreignKeys.push(
          `foreign key ${table}_${columns.join("_")}_fkey ON ${table} (${columns.join(", ")}) ` +
            `REFERENCES ${tableOf.get(field.type)} (${refColumns.join(", ")}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
        );
        continue;
      }
      if (field.kind === "unsupported") throw new Error(`schema-drift.test.ts: Unsupported(${field.type}) fields`);
      const column = field.dbName ?? field.name;
      const type = columnType(field, enums);
      lines.columns.push(`column ${table}.${column} ${type} ${field.isRequired ? "NOT NULL" : "NULL"}`);
      const fallback = columnDefault(field, type, table);
      if (fallback !== null) lines.defaults.push(`default ${table}.${column} ${fallback}`);
    }
  }
  for (const index of datamodel.indexes) {
    const table = tableOf.get(index.model)!;
    const columns = index.fields.map((f) => columnOf(index.model, f.name));
    const [kind, suffix] = { id: ["primary key", "pkey"], unique: ["unique index", "key"], normal: ["index", "idx"], fulltext: ["fulltext index", "idx"] }[index.type];
    const name = index.dbName ?? (index.type === "id" ? `${table}_pkey` : `${table}_${columns.join("_")}_${suffix}`);
    const list = index.fields.map((f, i) => `${columns[i]}${f.sortOrder === "desc" ? " DESC" : ""}`).join(", ");
    const method = index.algorithm && index.algorithm.toLowerCase() !== "btree" ? ` USING ${index.algorithm.toLowerCase()}` : "";
    lines.indexes.push(`${kind} ${name} ON ${table} (${list})${method}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The migrated database, from pg_catalog

async function actualFromDatabase(): Promise<SchemaLines> {
  const db = await getPrisma();
  const query = <T>(sql: string) => db.$queryRawUnsafe<T[]>(sql);
  const lines: SchemaLines = { tables: [], columns: [], defaults: [], enums: [], indexes: [], foreignKeys: [] };

  const tables = await query<{ name: string; kind: string }>(`
    SELECT c.relname AS name, c.relkind::text AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`);
  for (const t of tables) lines.tables.push(`${t.kind === "v" || t.kind === "m" ? "view" : "table"} ${t.name}`);

  const columns = await query<{ table: string; column: string; type: string; not_null: boolean; default: string | null }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`);
  for (const c of columns) {
    if (isBookkeeping(c.table)) continue;
    lines.columns.push(`column ${c.table}.${c.column} ${c.type} ${c.not_null ? "NOT NULL" : "NULL"}`);
    if (c.default !== null) lines.defaults.push(`default ${c.table}.${c.column} ${c.default}`);
  }

  const enums = await query<{ name: string; labels: string }>(`
    SELECT t.typname AS name, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE n.nspname = 'public'
    GROUP BY t.typname`);
  for (const e of enums) lines.enums.push(`enum ${e.name} (${e.labels})`);

  const indexes = await query<{
    name: string;
    table: string;
    is_primary: boolean;
    is_unique: boolean;
    columns: string;
    predicate: string | null;
    method: string;
  }>(`
    SELECT i.relname AS name, t.relname AS table, x.indisprimary AS is_primary, x.indisunique AS is_unique,
           (SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true)
                              || CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, ', ' ORDER BY k)
              FROM generate_series(1, x.indnkeyatts) AS k) AS columns,
           pg_get_expr(x.indpred, x.indrelid) AS predicate, am.amname AS method
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = i.relam
    WHERE n.nspname = 'public'`);
  for (const i of indexes) {
    if (isBookkeeping(i.table)) continue;
    const kind = i.is_primary ? "primary key" : i.is_unique ? "unique index" : "index";
    const where = i.predicate ? ` WHERE (${i.predicate.replace(/^\((.*)\)$/, "$1")})` : "";
    const method = i.method !== "btree" ? ` USING ${i.method}` : "";
    lines.indexes.push(`${kind} ${i.name} ON ${i.table} (${i.columns})${where}${method}`);
  }

  const foreignKeys = await query<{
    name: string;
    table: string;
    columns: string;
    ref_table: string;
    ref_columns: string;
    on_delete: string;
    on_update: string;
  }>(`
    SELECT con.conname AS name, c.relname AS table, f.relname AS ref_table,
           (SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, i)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
           (SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, i)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_class f ON f.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE con.contype = 'f' AND n.nspname = 'public'`);
  const action: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
  for (const fk of foreignKeys) {
    lines.foreignKeys.push(
      `foreign key ${fk.name} ON ${fk.table} (${fk.columns}) REFERENCES ${fk.ref_table} (${fk.ref_columns}) ` +
        `ON DELETE ${action[fk.on_delete]} ON UPDATE ${action[fk.on_update]}`,
    );
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

/** Lines of one side missing from the other, labelled; empty when they agree. */
function drift(expected: string[], actual: string[]): string[] {
  const allowed = new Set(DOCUMENTED_EXTRAS);
  return [
    ...expected.filter((line) => !actual.includes(line)).map((line) => `missing in the database: ${line}`),
    ...actual
      .filter((line) => !expected.includes(line) && !allowed.has(line))
      .map((line) => `not in schema.prisma: ${line}`),
  ].sort();
}

const CATEGORIES = ["tables", "columns", "defaults", "enums", "indexes", "foreignKeys"] as const;

let schemaText: string;
let expected: SchemaLines;
let actual: SchemaLines;

beforeAll(async () => {
  schemaText = fs.readFileSync(SCHEMA_PATH, "utf8");
  expected = expectedFromSchema(schemaText);
  actual = await actualFromDatabase();
});

describe("schema.prisma and the migrated database", () => {
  it.each(CATEGORIES)("agree on %s", (category) => {
    expect(expected[category].length, `schema.prisma declares no ${category}`).toBeGreaterThan(0);
    expect(drift(expected[category], actual[category])).toEqual([]);
  });

  it("have the documented extras, exactly as documented", () => {
    const everything = CATEGORIES.flatMap((category) => actual[category]);
    for (const extra of DOCUMENTED_EXTRAS) expect(everything).toContain(extra);
  });

  it("read the types the design names", () => {
    // A sample, so a wrong mapping in this file cannot hide behind agreeing with itself.
    expect(actual.columns).toEqual(
      expect.arrayContaining([
        "column jobs.id uuid NOT NULL",
        "column jobs.name text NOT NULL",
        "column jobs.interval_seconds integer NULL",
        "column jobs.enabled boolean NOT NULL",
        "column jobs.next_run_at timestamp(3) with time zone NULL",
        "column jobs.params jsonb NOT NULL",
        'column jobs.schedule_type "ScheduleType" NOT NULL',
        'column jobs.last_status "ExecutionStatus" NULL',
      ]),
    );
    expect(actual.indexes).toEqual(
      expect.arrayContaining([
        "primary key jobs_pkey ON jobs (id)",
        "unique index users_email_key ON users (email)",
        "index executions_job_id_queued_at_idx ON executions (job_id, queued_at DESC)",
      ]),
    );
  });
});

describe("the drift check itself", () => {
  /** schema.prisma with `edit` applied; fails loudly if the edit no longer matches anything. */
  function mutated(find: string | RegExp, replace: string): SchemaLines {
    const changed = schemaText.replace(find, replace);
    expect(changed, `the test edit ${String(find)} no longer applies to schema.prisma`).not.toBe(schemaText);
    return expectedFromSchema(changed);
  }

  const driftOf = (lines: SchemaLines) => CATEGORIES.flatMap((category) => drift(lines[category], actual[category]));

  it.each([
    {
      change: "a column added to the schema only",
      find: /(model Job \{\n)/,
      replace: "$1  probe String? @map(\"probe\")\n",
      reported: "missing in the database: column jobs.probe text NULL",
    },
    {
      change: "a column made optional in the schema only",
      find: /(jobName\s+String)(\s)/,
      replace: "$1?$2",
      reported: "missing in the database: column executions.job_name text NULL",
    },
    {
      change: "a different native type",
      find: /(runAt\s+DateTime\?\s+@map\("run_at"\)) @db.Timestamptz\(3\)/,
      replace: "$1 @db.Timestamptz(6)",
      reported: "missing in the database: column jobs.run_at timestamp(6) with time zone NULL",
    },
    {
      change: "an enum value added",
      find: "  manual\n}",
      replace: "  manual\n  webhook\n}",
      reported: "missing in the database: enum ScheduleType (cron, interval, once, manual, webhook)",
    },
    {
      change: "an index dropped from the schema",
      find: '  @@index([finishedAt], map: "executions_finished_at_idx")\n',
      replace: "",
      reported: "not in schema.prisma: index executions_finished_at_idx ON executions (finished_at)",
    },
    {
      change: "index columns in another order",
      find: "@@index([status, scheduledFor, queuedAt]",
      replace: "@@index([scheduledFor, status, queuedAt]",
      reported: "missing in the database: index executions_status_scheduled_for_queued_at_idx ON executions (scheduled_for, status, queued_at)",
    },
    {
      change: "a unique without a map, named by Prisma's default",
      find: /(prefix\s+String)\n/,
      replace: "$1 @unique\n",
      reported: "missing in the database: unique index api_tokens_prefix_key ON api_tokens (prefix)",
    },
    {
      change: "a default changed",
      find: "@default(3600) @map(\"timeout_seconds\")\n  maxAttempts         Int              @default(1) @map(\"max_attempts\")\n  retryBackoffSeconds Int              @default(30) @map(\"retry_backoff_seconds\")\n  pauseAfterFailures",
      replace: "@default(60) @map(\"timeout_seconds\")\n  maxAttempts         Int              @default(1) @map(\"max_attempts\")\n  retryBackoffSeconds Int              @default(30) @map(\"retry_backoff_seconds\")\n  pauseAfterFailures",
      reported: "missing in the database: default jobs.timeout_seconds 60",
    },
    {
      change: "a relation's onDelete changed",
      find: "onDelete: SetNull)\n  jobVersion",
      replace: "onDelete: Cascade)\n  jobVersion",
      reported:
        "missing in the database: foreign key executions_job_id_fkey ON executions (job_id) REFERENCES jobs (id) ON DELETE CASCADE ON UPDATE CASCADE",
    },
  ])("reports $change", ({ find, replace, reported }) => {
    expect(driftOf(mutated(find, replace))).toContain(reported);
  });
});
