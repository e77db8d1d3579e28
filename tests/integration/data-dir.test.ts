// The data directory is private to the app's OS user: created 0700 (an existing one tightened),
// the embedded database reachable only through a socket inside it (never a TCP port another local
// user could connect to without a password), and the generated auth secret 0600, replaced when it
// is missing, empty or too short.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const mode = (file: string) => fs.statSync(file).mode & 0o777;

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A parent directory anyone may enter (as /srv or a home directory often is), removed afterwards. */
function openParent(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-data-test-"));
  fs.chmodSync(parent, 0o755);
  cleanups.push(() => fs.rmSync(parent, { recursive: true, force: true }));
  return parent;
}

async function query(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>("SELECT 1 AS one")).rows[0].one;
  } finally {
    await client.end();
  }
}

// A PGlite database on disk takes seconds to create: one server for the checks that can share it.
describe("the embedded database", () => {
  let shared: { server: EmbeddedServer; dataDir: string; parent: string };

  beforeAll(async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-data-test-"));
    fs.chmodSync(parent, 0o755);
    const dataDir = path.join(parent, "fresh", ".data");
    shared = { server: await startEmbeddedServer(dataDir), dataDir, parent };
  }, 60_000);
  afterAll(async () => {
    await shared.server.stop();
    fs.rmSync(shared.parent, { recursive: true, force: true });
  });

  it("creates the data directory 0700, its socket 0600 in a 0700 directory, and its record 0600", async () => {
    const { dataDir, server } = shared;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "socket"))).toBe(0o700);
    expect(mode(path.join(dataDir, "socket", ".s.PGSQL.5432"))).toBe(0o600);
    expect(mode(path.join(dataDir, "embedded.json"))).toBe(0o600);
    expect(await query(server.url)).toBe(1);
  });

  it("listens on no TCP port", () => {
    const url = new URL(shared.server.url);
    expect(decodeURIComponent(url.hostname)).toMatch(/^\//);
    expect(url.port).toBe("");
  });

  it.skipIf(process.getuid?.() !== 0)("refuses another local user (nobody) who tries its address", async () => {
    const script = `new (require("pg").Client)({ connectionString: process.argv[1] }).connect().then(
      () => { console.log("connected"); process.exit(0); },
      (error) => { console.log("refused " + (error.code ?? error.message)); process.exit(0); })`;
    const { stdout } = await run(process.execPath, ["-e", script, shared.server.url], { cwd: ROOT, uid: 65534, gid: 65534 });
    expect(stdout.trim()).toBe("refused EACCES");
    // The app's own user still gets in.
    expect(await query(shared.server.url)).toBe(1);
  });

  it("serves a data directory whose path is too long for a socket from a private temporary directory", async () => {
    const deep = path.join(openParent(), "a".repeat(60), "b".repeat(60), ".data");
    const server = await startEmbeddedServer(deep);
    const socketDir = decodeURIComponent(new URL(server.url).hostname);
    try {
      expect(socketDir.startsWith(os.tmpdir())).toBe(true);
      expect(mode(socketDir)).toBe(0o700);
      expect(await query(server.url)).toBe(1);
    } finally {
      await server.stop();
    }
    expect(fs.existsSync(socketDir)).toBe(false);
  }, 60_000);
});

describe("the generated auth secret", () => {
  const saved = { dir: process.env.TICKWORK_DATA_DIR, secret: process.env.AUTH_SECRET };

  /** authSecret() of a fresh process whose data directory is `dir` and which has no AUTH_SECRET. */
  async function secretOfFreshStart(dir: string): Promise<string> {
    process.env.TICKWORK_DATA_DIR = dir;
    delete process.env.AUTH_SECRET;
    vi.resetModules();
    cleanups.push(() => {
      process.env.TICKWORK_DATA_DIR = saved.dir;
      process.env.AUTH_SECRET = saved.secret;
      if (saved.dir === undefined) delete process.env.TICKWORK_DATA_DIR;
      vi.resetModules();
    });
    const { authSecret } = await import("@/lib/auth/secret");
    return authSecret();
  }

  it("is created 0600 in a new 0700 data directory, and kept across starts", async () => {
    const dir = path.join(openParent(), ".data");
    const secret = await secretOfFreshStart(dir);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, "auth-secret"))).toBe(0o600);
    expect(await secretOfFreshStart(dir)).toBe(secret);
  });

  it.each([
    ["empty", ""],
    ["blank", " \n"],
    ["short", "short-secret"],
  ])("is replaced when the file is %s", async (_label, content) => {
    const dir = path.join(openParent(), ".data");
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, "auth-secret"), content, { mode: 0o644 });
    const secret = await secretOfFreshStart(dir);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(dir, "auth-secret"), "utf8")).toBe(secret);
    expect(mode(path.join(dir, "auth-secret"))).toBe(0o600);
  });

  it("keeps a good secret, taking other users' access off its file and an open data directory", async () => {
    const dir = path.join(openParent(), ".data");
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    const good = "k".repeat(40);
    fs.writeFileSync(path.join(dir, "auth-secret"), `${good}\n`, { mode: 0o644 });
    expect(await secretOfFreshStart(dir)).toBe(good);
    expect(mode(path.join(dir, "auth-secret"))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });
});
