// The embedded database: PGlite kept in the data directory and served with pglite-socket, so the
// app talks to it through the same pg driver as to a real server. PGlite asks for no password, so
// it listens on a Unix socket inside a 0700 directory (the data directory's `socket/`, or a
// private temporary one when that path is too long for a socket), never on a TCP port: only this
// OS user can reach it. PGlite is opened by one process only; that process records its socket in
// embedded.json so the CLIs can reach the running instance instead of opening the files twice.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { ensurePrivateDir } from "@/lib/private-dir";

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedRecord {
  pid: number;
  /** The directory of the socket `.s.PGSQL.5432`, as PostgreSQL clients name it. */
  socketDir: string;
  startedAt: string;
}

// The name libpq and node-postgres give the socket of a server on port 5432 in a directory.
const SOCKET_NAME = ".s.PGSQL.5432";
// sun_path holds 108 bytes on Linux and 104 on macOS, with its terminating NUL.
const MAX_SOCKET_PATH = 100;

const recordPath = (dataDir: string) => path.join(dataDir, "embedded.json");

export const embeddedUrl = (socketDir: string) =>
  `postgresql://postgres@${encodeURIComponent(socketDir)}/postgres?sslmode=disable`;

/** A 0700 directory for the socket: in the data directory when the path fits, else a private temporary one. */
function socketDirFor(dataDir: string | "memory://"): { dir: string; temporary: boolean } {
  if (dataDir !== "memory://") {
    const dir = path.join(dataDir, "socket");
    if (path.join(dir, SOCKET_NAME).length <= MAX_SOCKET_PATH) return { dir: ensurePrivateDir(dir), temporary: false };
  }
  // mkdtemp makes it 0700.
  return { dir: fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-db-")), temporary: true };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(socketDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: path.join(socketDir, SOCKET_NAME), timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * The URL of the embedded database when another live process serves it. A live owner that does not
 * answer yet (starting, or busy) is waited for: opening the same files twice would corrupt them.
 */
export async function findRunningEmbedded(dataDir: string, waitMs = 15_000): Promise<string | undefined> {
  let record: EmbeddedRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordPath(dataDir), "utf8"));
  } catch {
    return undefined;
  }
  // A record without socketDir is an older version's (TCP); its process is gone or will be replaced.
  if (!record.socketDir || record.pid === process.pid || !isAlive(record.pid)) return undefined;
  const deadline = Date.now() + waitMs;
  do {
    if (await canConnect(record.socketDir)) return embeddedUrl(record.socketDir);
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline && isAlive(record.pid));
  if (!isAlive(record.pid)) return undefined;
  throw new Error(
    `Process ${record.pid} holds the embedded database in ${dataDir} but does not answer on ${record.socketDir}. ` +
      "Wait for it to finish starting, or stop it.",
  );
}

/**
 * Opens the PGlite database (a directory, or "memory://" for tests) and serves it on a Unix socket
 * in a 0700 directory. With a directory, refuses to open files another live process already serves.
 */
export async function startEmbeddedServer(dataDir: string | "memory://"): Promise<EmbeddedServer> {
  const inMemory = dataDir === "memory://";
  if (!inMemory) {
    ensurePrivateDir(dataDir);
    const running = await findRunningEmbedded(dataDir);
    if (running) {
      throw new Error(
        `The embedded database in ${dataDir} is already served by another process (${running}). ` +
          "Stop it, or set DATABASE_URL to use a PostgreSQL server for several instances.",
      );
    }
  }
  const db = await PGlite.create(inMemory ? undefined : path.join(dataDir, "pgdata"));
  const socket = socketDirFor(dataDir);
  const socketPath = path.join(socket.dir, SOCKET_NAME);
  // What a process that died left behind; a live owner was ruled out above.
  fs.rmSync(socketPath, { force: true });
  // The socket server multiplexes connections onto PGlite's single session; it keeps a
  // transaction's statements together, and our pool uses one connection per process anyway.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 32 });
  await server.start();
  fs.chmodSync(socketPath, 0o600);
  if (!inMemory) {
    const record: EmbeddedRecord = { pid: process.pid, socketDir: socket.dir, startedAt: new Date().toISOString() };
    fs.writeFileSync(recordPath(dataDir), JSON.stringify(record, null, 2), { mode: 0o600 });
  }
  return {
    url: embeddedUrl(socket.dir),
    async stop() {
      await server.stop();
      await db.close();
      if (!inMemory) fs.rmSync(recordPath(dataDir), { force: true });
      fs.rmSync(socketPath, { force: true });
      if (socket.temporary) fs.rmSync(socket.dir, { recursive: true, force: true });
    },
  };
}
