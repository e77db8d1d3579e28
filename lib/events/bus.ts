// One event bus for the process. On a PostgreSQL server, events go through NOTIFY and come back
// through LISTEN, so every instance sees every instance's events; on the embedded database (one
// instance) they stay in process.
import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseTarget } from "@/lib/db/url";
import { logger } from "@/lib/log";
import type { BusEvent } from "./types";

const CHANNEL = "tickwork_events";
const MAX_PAYLOAD = 7900;

type Listener = (event: BusEvent) => void;

interface BusState {
  emitter: EventEmitter;
  outbox: BusEvent[];
  flushing?: Promise<void>;
  listen?: Promise<pg.Client | null>;
  notify?: pg.Pool;
  closed: boolean;
}

const globalForBus = globalThis as unknown as { tickworkBus?: BusState };

function state(): BusState {
  if (!globalForBus.tickworkBus) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    globalForBus.tickworkBus = { emitter, outbox: [], closed: false };
  }
  return globalForBus.tickworkBus;
}

async function connectListener(bus: BusState): Promise<pg.Client | null> {
  const target = await databaseTarget();
  if (target.embedded) return null;
  const client = new pg.Client({ connectionString: target.url });
  client.on("notification", (message) => {
    if (!message.payload) return;
    try {
      for (const event of JSON.parse(message.payload) as BusEvent[]) bus.emitter.emit("event", event);
    } catch (error) {
      logger.warn("Ignoring a malformed event", { error: String(error) });
    }
  });
  client.on("error", (error) => {
    logger.error("Event listener connection failed; reconnecting", { error: error.message });
    bus.listen = undefined;
    if (!bus.closed) setTimeout(() => void ensureListening().catch(() => undefined), 1000).unref();
  });
  await client.connect();
  // PGlite (the embedded database, here reached through DATABASE_URL, as in tests) serves one
  // session: a NOTIFY sent on one connection never reaches another, so events stay in process.
  const { rows } = await client.query<{ version: string }>("SELECT version()");
  if (rows[0]?.version.includes("PGlite")) {
    await client.end();
    return null;
  }
  await client.query(`LISTEN ${CHANNEL}`);
  bus.notify = new pg.Pool({ connectionString: target.url, max: 2 });
  bus.notify.on("error", (error) => logger.warn("An event bus connection was closed", { error: error.message }));
  return client;
}

/** Starts listening (idempotent). Returns true when events cross instances through PostgreSQL. */
export async function ensureListening(): Promise<boolean> {
  const bus = state();
  bus.listen ??= connectListener(bus).catch((error) => {
    bus.listen = undefined;
    throw error;
  });
  return (await bus.listen) !== null;
}

/**
 * Publishes events after the current batch of work: everything published in the same turn of the
 * event loop goes out together, packed into as few NOTIFY payloads as fit.
 */
export function publish(...events: BusEvent[]): Promise<void> {
  if (events.length === 0) return Promise.resolve();
  const bus = state();
  bus.outbox.push(...events);
  return scheduleFlush(bus);
}

function scheduleFlush(bus: BusState): Promise<void> {
  bus.flushing ??= new Promise<void>((resolve) => setImmediate(() => resolve(flushOutbox(bus)))).finally(() => {
    bus.flushing = undefined;
    if (bus.outbox.length > 0) void scheduleFlush(bus);
  });
  return bus.flushing;
}

async function flushOutbox(bus: BusState): Promise<void> {
  const events = bus.outbox.splice(0);
  let distributed = false;
  try {
    distributed = await ensureListening();
  } catch (error) {
    logger.warn("Event bus unavailable; delivering in process only", { error: String(error) });
  }
  if (!distributed || !bus.notify) {
    for (const event of events) bus.emitter.emit("event", event);
    return;
  }
  try {
    // One statement, so one commit, for the whole flush (a NOTIFY each cost a commit each); the
    // notifications of a transaction are delivered in the order they were sent.
    await bus.notify.query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS p(payload, n) ORDER BY n", [
      CHANNEL,
      packPayloads(events),
    ]);
  } catch (error) {
    logger.warn("Could not publish events", { error: String(error) });
  }
}

/** Packs events into as few NOTIFY payloads (JSON arrays) as the size limit allows. */
export function packPayloads(events: BusEvent[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let size = 2;
  for (const event of events) {
    const text = JSON.stringify(event);
    if (text.length + 2 > MAX_PAYLOAD) {
      logger.warn("Event too large for NOTIFY; dropped", { name: event.name });
      continue;
    }
    if (size + text.length + 1 > MAX_PAYLOAD) {
      payloads.push(`[${batch.join(",")}]`);
      batch = [];
      size = 2;
    }
    batch.push(text);
    size += text.length + 1;
  }
  if (batch.length > 0) payloads.push(`[${batch.join(",")}]`);
  return payloads;
}

export function subscribe(listener: Listener): () => void {
  const bus = state();
  bus.emitter.on("event", listener);
  void ensureListening().catch(() => undefined);
  return () => bus.emitter.off("event", listener);
}

export async function closeBus(): Promise<void> {
  const bus = globalForBus.tickworkBus;
  if (!bus) return;
  bus.closed = true;
  const client = await bus.listen?.catch(() => null);
  await client?.end().catch(() => undefined);
  await bus.notify?.end().catch(() => undefined);
  globalForBus.tickworkBus = undefined;
}
