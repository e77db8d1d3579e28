// The embedded database: PGlite kept in the data directory and served on a loopback port with
// pglite-socket, so the app talks to it through the same pg driver as to a real server.
// PGlite is opened by one process only; that process records its address in embedded.json so the
// CLIs can reach the running instance instead of opening the files a second time.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedRecord {
  pid: number;
  host: string;
  port: number;
  startedAt: string;
}

const HOST = "127.0.0.1";

const recordPath = (dataDir: string) => path.join(dataDir, "embedded.json");

export const embeddedUrl = (port: number) =>
  `postgresql://postgres:postgres@${HOST}:${port}/postgres?sslmode=disable`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port, timeout: 1000 }, () => {
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
  if (record.pid === process.pid || !isAlive(record.pid)) return undefined;
  const deadline = Date.now() + waitMs;
  do {
    if (await canConnect(record.port)) return embeddedUrl(record.port);
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline && isAlive(record.pid));
  if (!isAlive(record.pid)) return undefined;
  throw new Error(
    `Process ${record.pid} holds the embedded database in ${dataDir} but does not answer on port ${record.port}. ` +
      "Wait for it to finish starting, or stop it.",
  );
}

/**
 * Opens the PGlite database (a directory, or "memory://" for tests) and serves it on a free
 * loopback port. With a directory, refuses to open files another live process already serves.
 */
export async function startEmbeddedServer(dataDir: string | "memory://"): Promise<EmbeddedServer> {
  const inMemory = dataDir === "memory://";
  if (!inMemory) {
    fs.mkdirSync(dataDir, { recursive: true });
    const running = await findRunningEmbedded(dataDir);
    if (running) {
      throw new Error(
        `The embedded database in ${dataDir} is already served by another process (${running}). ` +
          "Stop it, or set DATABASE_URL to use a PostgreSQL server for several instances.",
      );
    }
  }
  const db = await PGlite.create(inMemory ? undefined : path.join(dataDir, "pgdata"));
  // The socket server multiplexes connections onto PGlite's single session; it keeps a
  // transaction's statements together, and our pool uses one connection per process anyway.
  const server = new PGLiteSocketServer({ db, host: HOST, port: 0, maxConnections: 32 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  if (!inMemory) {
    const record: EmbeddedRecord = { pid: process.pid, host: HOST, port, startedAt: new Date().toISOString() };
    fs.writeFileSync(recordPath(dataDir), JSON.stringify(record, null, 2));
  }
  return {
    url: embeddedUrl(port),
    async stop() {
      await server.stop();
      await db.close();
      if (!inMemory) fs.rmSync(recordPath(dataDir), { force: true });
    },
  };
}
