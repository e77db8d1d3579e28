// Where the database is: DATABASE_URL, or the embedded PGlite server (started on first use).
import path from "node:path";
import { env } from "@/lib/env";
import { findRunningEmbedded, startEmbeddedServer, type EmbeddedServer } from "./embedded";

interface DatabaseTarget {
  url: string;
  embedded: boolean;
  /** Set when this process serves the embedded database and must close it on shutdown. */
  server?: EmbeddedServer;
}

const globalForTarget = globalThis as unknown as { tickworkDbTarget?: Promise<DatabaseTarget> };

export const dataDir = (): string => path.resolve(env.TICKWORK_DATA_DIR);

async function resolveTarget(): Promise<DatabaseTarget> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false };
  // A CLI run next to a running app reaches the app's embedded server.
  const running = await findRunningEmbedded(dataDir());
  if (running) return { url: running, embedded: true };
  const server = await startEmbeddedServer(dataDir());
  return { url: server.url, embedded: true, server };
}

export function databaseTarget(): Promise<DatabaseTarget> {
  globalForTarget.tickworkDbTarget ??= resolveTarget().catch((error) => {
    globalForTarget.tickworkDbTarget = undefined;
    throw error;
  });
  return globalForTarget.tickworkDbTarget;
}

export async function stopEmbeddedIfOwned(): Promise<void> {
  const pending = globalForTarget.tickworkDbTarget;
  globalForTarget.tickworkDbTarget = undefined;
  const target = await pending?.catch(() => undefined);
  await target?.server?.stop();
}
