// GET /api/events with a real HTTP client: a node:http server on a loopback port adapts requests to
// the route handler (its AbortSignal aborts when the client goes away) and streams the body back.
// Checks the snapshot, live events with increasing ids, progress throttling, replay on reconnect
// with Last-Event-ID, and that subscribers are removed when clients leave.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";


import { GET } from "@/app/api/events/route";
import { subscriberCount } from "@/lib/events/hub";
import { packPayloads, publish } from "@/lib/events/bus";
import type { BusEvent } from "@/lib/events/types";
import { api } from "../../support/api";
import { createIdentities, expectError, resetDatabase, waitFor, waitForStatus, type Identities } from "../../support/fixtures";
import { insertExecutionOf, manualJob, runNow, sleep, useWorkers } from "./support";

let who: Identities;
let server: http.Server;
let baseUrl: string;
const workers = useWorkers();
const clients: SseClient[] = [];

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
  server = http.createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What Next.js does for a route handler: a Request whose signal aborts when the client disconnects, the Response body piped back. */
async function serve(req: http.IncomingMessage, res: http.ServerResponse) {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const request = new Request(new URL(req.url ?? "/", baseUrl), { method: req.method, headers, signal: abort.signal });
  const response = await GET(request, { params: Promise.resolve({}) });
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.flushHeaders();
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // the stream errored; end the response
  } finally {
    res.end();
  }
}

interface SseEvent {
  id: number;
  event: string;
  data: any;
  /** When the client received it (ms). */
  at: number;
}

interface SseClient {
  events: SseEvent[];
  status: () => number;
  contentType: () => string | undefined;
  retry: () => number | undefined;
  waitFor(predicate: (event: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** An EventSource-like client over http.get that records every event with its id. */
function connect(options: { token?: string; lastEventId?: number } = {}): SseClient {
  const events: SseEvent[] = [];
  let status = 0;
  let contentType: string | undefined;
  let retry: number | undefined;
  const parse = (block: string) => {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "retry") retry = Number(value);
    }
    if (data.length === 0) return;
    expect(id, `event ${event} has an id`).toMatch(/^\d+$/);
    events.push({ id: Number(id), event, data: JSON.parse(data.join("\n")), at: Date.now() });
  };
  const headers: Record<string, string> = { accept: "text/event-stream", authorization: `Bearer ${options.token ?? who.viewer}` };
  if (options.lastEventId !== undefined) headers["last-event-id"] = String(options.lastEventId);
  const req = http.get(`${baseUrl}/api/events`, { headers }, (res) => {
    status = res.statusCode ?? 0;
    contentType = res.headers["content-type"];
    res.setEncoding("utf8");
    let buffer = "";
    res.on("data", (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    });
    res.on("error", () => undefined);
  });
  req.on("error", () => undefined);
  const client: SseClient = {
    events,
    status: () => status,
    contentType: () => contentType,
    retry: () => retry,
    waitFor: (predicate, what, timeoutMs = 5000) => waitFor(() => events.find(predicate), timeoutMs, what),
    close: () => req.destroy(),
  };
  clients.push(client);
  return client;
}

const about = (id: string) => (event: SseEvent) => event.data?.id === id;
const named = (name: string, id: string) => (event: SseEvent) => event.event === name && event.data?.id === id;

async function enqueueSleep(params: Record<string, unknown>) {
  const response = await api("POST", "/api/enqueue", { token: who.operator, body: { type: "demo.sleep", params } });
  expect(response.status).toBe(202);
  return response.body.execution.id as string;
}

describe("GET /api/events", () => {
  // First in the file: the server's event history starts empty, as after a restart.
  it("replays what a client missed even when it only had its snapshot from a server that had just started", async () => {
    const first = connect();
    const snapshot = await first.waitFor((event) => event.event === "snapshot", "the first snapshot");
    const other = connect();
    await other.waitFor((event) => event.event === "snapshot", "the other client's snapshot");
    first.close();

    workers.start();
    const id = await enqueueSleep({ durationMs: 10, steps: 1 });
    await other.waitFor(named("execution.finished", id), "the finish on the client that stayed");

    const again = connect({ lastEventId: snapshot.id });
    await again.waitFor((event) => event.event === "snapshot", "the snapshot after reconnecting");
    const replayed = await again.waitFor(named("execution.finished", id), "the missed finish", 2000);
    expect(replayed.data.status).toBe("SUCCEEDED");
  });

  it("sends the snapshot of active executions first, then live events with increasing ids", async () => {
    workers.start();
    const longJob = await manualJob(who.operator, { params: { durationMs: 10_000, steps: 100 } });
    const running = await runNow(who.operator, longJob.id);
    await waitForStatus(running.id, "RUNNING");
    const waiting = await insertExecutionOf(null, { scheduledFor: new Date(Date.now() + 3_600_000) });

    const client = connect();
    const snapshot = await client.waitFor((event) => event.event === "snapshot", "the snapshot");
    expect(client.status()).toBe(200);
    expect(client.contentType()).toMatch(/^text\/event-stream/);
    expect(client.retry()).toBeGreaterThan(0);
    expect(client.events[0]).toBe(snapshot);
    const snapshotIds = snapshot.data.items.map((item: { id: string }) => item.id);
    expect(snapshotIds).toEqual(expect.arrayContaining([running.id, waiting.id]));
    expect(snapshot.data.items.find((item: { id: string }) => item.id === running.id)).toMatchObject({ status: "RUNNING", jobId: longJob.id });
    for (const item of snapshot.data.items) expect(["QUEUED", "RUNNING"]).toContain(item.status);

    // A run with 100 progress reports in one second.
    const quickJob = await manualJob(who.operator, { params: { durationMs: 1000, steps: 100 } });
    const quick = await runNow(who.operator, quickJob.id);
    await client.waitFor(named("execution.finished", quick.id), "the quick run's finish", 5000);
    await client.waitFor((event) => event.event === "job.changed" && event.data.id === quickJob.id, "job.changed for its job");

    const cancelled = await api("POST", `/api/executions/${running.id}/cancel`, { token: who.operator });
    expect(cancelled.status).toBe(202);
    const cancelRequested = await client.waitFor(named("execution.cancel_requested", running.id), "cancel_requested");
    expect(cancelRequested.data).toMatchObject({ status: "RUNNING", cancelRequested: true });
    const finished = await client.waitFor(named("execution.finished", running.id), "the cancelled run's finish");
    expect(finished.data.status).toBe("CANCELLED");

    const ids = client.events.map((event) => event.id);
    for (let i = 1; i < ids.length; i++) expect(ids[i], `event ${i} (${client.events[i].event})`).toBeGreaterThan(ids[i - 1]);

    const quickEvents = client.events.filter(about(quick.id));
    const names = quickEvents.map((event) => event.event);
    expect(names[0]).toBe("execution.queued");
    expect(names[1]).toBe("execution.started");
    expect(names.at(-1)).toBe("execution.finished");
    // Between start and finish: progress, and the run's log lines (demo.sleep logs each step).
    expect(names.slice(2, -1).every((name) => name === "execution.progress" || name === "execution.log")).toBe(true);
    expect(names).toContain("execution.log");
    expect(quickEvents[0].data).toMatchObject({ status: "QUEUED", trigger: "manual", jobId: quickJob.id });
    expect(quickEvents[1].data).toMatchObject({ status: "RUNNING" });
    expect(quickEvents.at(-1)!.data).toMatchObject({ status: "SUCCEEDED", progress: { percent: 100 } });

    // At most 10 progress events a second per execution, though the handler reported 100 times.
    const progress = quickEvents.filter((event) => event.event === "execution.progress");
    const ranForMs = quickEvents.at(-1)!.data.durationMs;
    const seen = `ran ${ranForMs} ms; [percent, received after ms]: ${JSON.stringify(progress.map((e) => [e.data.percent, e.at - progress[0].at]))}`;
    expect(progress.length, seen).toBeGreaterThanOrEqual(3);
    expect(progress.length, seen).toBeLessThanOrEqual(Math.ceil(ranForMs / 100) + 1);
    // Any 11 in a row span about a second (less a little for delivery jitter).
    for (let i = 0; i + 10 < progress.length; i++) expect(progress[i + 10].at - progress[i].at).toBeGreaterThanOrEqual(900);
    // The same for the long run that was cancelled: it reported 10 times a second for its whole life.
    const longProgress = client.events.filter((event) => event.event === "execution.progress" && event.data.id === running.id);
    for (let i = 0; i + 10 < longProgress.length; i++) expect(longProgress[i + 10].at - longProgress[i].at).toBeGreaterThanOrEqual(900);
    // Never the same report twice (a late throttle timer used to repeat one).
    for (let i = 1; i < progress.length; i++) expect(progress[i].data, seen).not.toEqual(progress[i - 1].data);
    const percents = progress.map((event) => event.data.percent);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(progress[0].data).toMatchObject({ id: quick.id, jobId: quickJob.id });
    expect(progress[0].data.message).toMatch(/^Step \d+\/100$/);
  });

  it("a reconnect with Last-Event-ID gets a snapshot and the finishes it missed, never an event it already had", async () => {
    workers.start();
    const observer = connect();
    await observer.waitFor((event) => event.event === "snapshot", "the observer's snapshot");

    const client = connect();
    await client.waitFor((event) => event.event === "snapshot", "the snapshot");
    const slowJob = await manualJob(who.operator, { params: { durationMs: 600, steps: 2 } });
    const slow = await runNow(who.operator, slowJob.id);
    await client.waitFor(named("execution.started", slow.id), "the slow run's start");
    const lastSeen = Math.max(...client.events.map((event) => event.id));
    const before = subscriberCount();
    client.close();
    await waitFor(() => subscriberCount() === before - 1, 2000, "the closed client's subscription to go");

    // Missed while disconnected: the slow run's finish, and a whole quick run.
    const quick = await enqueueSleep({ durationMs: 10, steps: 1 });
    await observer.waitFor(named("execution.finished", slow.id), "the slow finish on the observer");
    await observer.waitFor(named("execution.finished", quick), "the quick finish on the observer");
    const missed = observer.events.filter((event) => event.id > lastSeen && event.event === "execution.finished");

    const again = connect({ lastEventId: lastSeen });
    const snapshot = await again.waitFor((event) => event.event === "snapshot", "the snapshot after reconnecting");
    expect(again.events[0]).toBe(snapshot);
    expect(snapshot.id).toBeGreaterThan(lastSeen);
    await again.waitFor(named("execution.finished", slow.id), "the slow finish replayed", 2000);
    await again.waitFor(named("execution.finished", quick), "the quick finish replayed", 2000);
    for (const event of missed) {
      const replayed = again.events.find((e) => e.id === event.id);
      expect(replayed, `replay of ${event.event} ${event.id}`).toBeDefined();
      expect(replayed!.event).toBe(event.event);
    }

    // Live events go on after the replay.
    const next = await enqueueSleep({ durationMs: 10, steps: 1 });
    await again.waitFor(named("execution.finished", next), "a live finish after the replay");

    const ids = again.events.map((event) => event.id);
    expect(ids.every((id) => id > lastSeen)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const replay = again.events.filter((event) => event.id < snapshot.id);
    for (const event of replay) expect(["execution.finished", "job.changed", "job.deleted"]).toContain(event.event);
    const live = again.events.filter((event) => event.id > snapshot.id).map((event) => event.id);
    expect([...live].sort((a, b) => a - b)).toEqual(live);
  });

  it("sends job.changed with the new version when a job changes, and job.deleted when it is deleted", async () => {
    const client = connect();
    await client.waitFor((event) => event.event === "snapshot", "the snapshot");
    const job = await manualJob(who.operator);
    const patched = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "changed" } });
    expect(patched.status).toBe(200);
    const changed = await client.waitFor((e) => e.event === "job.changed" && e.data.id === job.id && e.data.version === patched.body.version, "job.changed");
    expect(patched.body.version).toBe(job.version + 1);
    expect((await api("DELETE", `/api/jobs/${job.id}`, { token: who.operator })).status).toBe(204);
    const deleted = await client.waitFor((e) => e.event === "job.deleted" && e.data.id === job.id, "job.deleted");
    expect(deleted.id).toBeGreaterThan(changed.id);
  });

  it("sends a comment line at least every 15 s", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const abort = new AbortController();
    try {
      const request = new Request(`${baseUrl}/api/events`, { headers: { authorization: `Bearer ${who.viewer}` }, signal: abort.signal });
      const reader = (await GET(request, { params: Promise.resolve({}) })).body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes("event: snapshot")) text += decoder.decode((await reader.read()).value);
      const before = text.length;
      vi.advanceTimersByTime(15_000);
      text += decoder.decode((await reader.read()).value);
      expect(text.slice(before)).toMatch(/^: .*\n\n$/);
    } finally {
      abort.abort();
      vi.useRealTimers();
    }
  });

  it("removes the subscriber when the client goes away, also when it left before the stream started", async () => {
    await waitFor(() => true, 10);
    const baseline = subscriberCount();
    const client = connect();
    await client.waitFor((event) => event.event === "snapshot", "the snapshot");
    expect(subscriberCount()).toBe(baseline + 1);
    client.close();
    await waitFor(() => subscriberCount() === baseline, 2000, "the subscription to go");

    const abort = new AbortController();
    abort.abort();
    const request = new Request(`${baseUrl}/api/events`, { headers: { authorization: `Bearer ${who.viewer}` }, signal: abort.signal });
    const response = await GET(request, { params: Promise.resolve({}) });
    await sleep(300);
    expect(subscriberCount()).toBe(baseline);
    await response.body?.cancel().catch(() => undefined);
  });

  it("is open to viewers, and answers 401 without valid credentials", async () => {
    const viewer = connect({ token: who.viewer });
    await viewer.waitFor((event) => event.event === "snapshot", "the viewer's snapshot");
    viewer.close();
    const garbageId = connect({ token: who.viewer, lastEventId: Number.NaN });
    await garbageId.waitFor((event) => event.event === "snapshot", "a snapshot despite a bad Last-Event-ID");
    garbageId.close();
    expectError(await api("GET", "/api/events"), 401, "UNAUTHENTICATED");
    expectError(await api("GET", "/api/events", { token: who.revoked }), 401, "UNAUTHENTICATED");
    const anonymous = connect({ token: "not-a-token" });
    await waitFor(() => anonymous.status() !== 0, 2000, "an answer");
    expect(anonymous.status()).toBe(401);
  });

  it.skipIf(inject("databaseKind") !== "postgres")("sends what one turn published as several NOTIFY payloads, in order, to another instance", async () => {
    const listener = new pg.Client({ connectionString: inject("databaseUrl") });
    await listener.connect();
    const received: { id: string; version: number }[] = [];
    listener.on("notification", (message) => {
      for (const event of JSON.parse(message.payload!) as BusEvent[]) if (event.name === "job.changed") received.push(event.data);
    });
    try {
      await listener.query("LISTEN tickwork_events");
      // About 100 bytes an event: 300 of them need several payloads of at most 7,900 bytes.
      const events: BusEvent[] = Array.from({ length: 300 }, (_, version) => ({ name: "job.changed", data: { id: crypto.randomUUID(), version } }));
      expect(packPayloads(events).length).toBeGreaterThan(2);
      await publish(...events);
      await waitFor(() => received.length === events.length, 5000, "all 300 events at the other listener");
      expect(received.map((event) => event.version)).toEqual(events.map((event) => (event.data as { version: number }).version));
    } finally {
      await listener.end();
    }
  });

  it.skipIf(inject("databaseKind") !== "postgres")("delivers events published by another instance through PostgreSQL", async () => {
    const client = connect();
    await client.waitFor((event) => event.event === "snapshot", "the snapshot");
    const jobId = "11111111-1111-4111-8111-111111111111";
    const other = new pg.Client({ connectionString: inject("databaseUrl") });
    await other.connect();
    try {
      await other.query("SELECT pg_notify($1, $2)", ["tickwork_events", JSON.stringify([{ name: "job.changed", data: { id: jobId, version: 7 } }])]);
    } finally {
      await other.end();
    }
    const event = await client.waitFor((e) => e.event === "job.changed" && e.data.id === jobId, "the other instance's event");
    expect(event.data.version).toBe(7);
  });
});
