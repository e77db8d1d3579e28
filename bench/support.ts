// Shared pieces of the bench: a fresh PostgreSQL database, database counters, percentiles, output.
import os from "node:os";
import pg from "pg";

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

export interface DbCounters {
  commits: number;
  walBytes: number;
}

/** Commits in this database and WAL written server-wide, to divide by work done. */
export async function dbCounters(url: string): Promise<DbCounters> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await client.query(
    "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::bigint AS commits, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS wal",
  );
  await client.end();
  return { commits: Number(rows[0].commits), walBytes: Number(rows[0].wal) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export interface Figure {
  figure: string;
  measured: string;
  target: string;
  ok: boolean | null;
  /** The load average when it was reported. */
  load: string;
}

export const figures: Figure[] = [];

export function report(figure: string, measured: string, target: string, ok: boolean | null): void {
  const load = loadAverage();
  figures.push({ figure, measured, target, ok, load });
  console.log(`  ${ok === null ? "·" : ok ? "✓" : "✗"} ${figure}: ${measured} (target ${target}; load average ${load})`);
}

export function printTable(): void {
  const width = Math.max(...figures.map((f) => f.figure.length));
  console.log(`\n${settings.rounds} rounds per figure, medians; load average (1, 5, 15 min) when each was reported`);
  console.log("| figure | measured | target | met | load average |\n|---|---|---|---|---|");
  for (const f of figures) console.log(`| ${f.figure.padEnd(width)} | ${f.measured} | ${f.target} | ${f.ok === null ? "n/a" : f.ok ? "yes" : "no"} | ${f.load} |`);
}

/** How many rounds each figure is measured in (`--rounds`); the figure is their median. */
export const settings = { rounds: 3 };

export function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * Runs each measurement once per round, in turn (A B A B A B), so a candidate and its reference
 * share whatever load the machine had; each name's results in round order.
 */
export async function alternate<M extends Record<string, () => Promise<unknown>>>(
  measurements: M,
  rounds = settings.rounds,
): Promise<{ [K in keyof M]: Awaited<ReturnType<M[K]>>[] }> {
  const results: Record<string, unknown[]> = Object.fromEntries(Object.keys(measurements).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of Object.entries(measurements)) results[name].push(await measure());
  }
  return results as { [K in keyof M]: Awaited<ReturnType<M[K]>>[] };
}

/** "a, b, c" for the rounds' values, to print beside their median. */
export const roundsOf = (values: number[], digits = 0) => values.map((value) => value.toFixed(digits)).join(", ");

/** The machine's load average (1, 5, 15 minutes), printed beside figures taken on a shared machine. */
export const loadAverage = () => (os.loadavg() as number[]).map((value) => value.toFixed(2)).join(" ");
