// GET /api/events against its holder: at most 10 open streams per user or token, streams that end
// within seconds once their token is revoked or their user disabled, and a client that stops
// reading dropped instead of buffered without bound.
import crypto from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/events/route";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { createUser, updateUser } from "@/lib/auth/users";
import { publish } from "@/lib/events/bus";
import { subscriberCount } from "@/lib/events/hub";
import { MAX_QUEUED_BYTES } from "@/lib/events/sse";
import { openStreamCount, STREAM_LIMITS } from "@/lib/events/streams";
import { createIdentities, expectError, resetDatabase, sessionCookie, waitFor, type Identities } from "../support/fixtures";

let who: Identities;
const open: ReadableStreamDefaultReader<Uint8Array>[] = [];

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  for (const reader of open.splice(0)) await reader.cancel().catch(() => undefined);
  await waitFor(() => openStreamCount() === 0, 5000, "every stream of the test closed");
});

async function connect(headers: Record<string, string>) {
  const response = await GET(new Request("http://localhost:3000/api/events", { headers }), { params: Promise.resolve({}) });
  if (response.status !== 200) return { response, reader: undefined, error: JSON.parse(await response.text()) };
  const reader = response.body!.getReader();
  open.push(reader);
  return { response, reader };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const decoder = new TextDecoder();

/** Reads until the text contains `marker` or the stream ends. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string): Promise<string> {
  let text = "";
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  return text;
}

/** Whether the stream ends within `ms` (reading and discarding what it sends meanwhile). */
async function endsWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<boolean> {
  const deadline = new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms));
  for (;;) {
    const next = await Promise.race([reader.read(), deadline]);
    if (next === "open") return false;
    if (next.done) return true;
  }
}

describe("streams per user or token", () => {
  it(`opens ${STREAM_LIMITS.perPrincipal} streams for one token, refuses the next with 429 and Retry-After, and opens it once one closed`, async () => {
    const readers = [];
    for (let index = 0; index < STREAM_LIMITS.perPrincipal; index++) {
      const { response, reader } = await connect(bearer(who.viewer));
      expect(response.status, `stream ${index + 1}`).toBe(200);
      readers.push(reader!);
    }
    const refused = await connect(bearer(who.viewer));
    const error = expectError({ status: refused.response.status, headers: refused.response.headers, body: refused.error }, 429, "RATE_LIMITED");
    expect(error.message).toMatch(/At most 10 event streams/);
    expect(Number(refused.response.headers.get("retry-after"))).toBeGreaterThan(0);

    // Another token, and the same person's session, each have their own count.
    expect((await connect(bearer(who.operator))).response.status).toBe(200);
    expect((await connect({ cookie: await sessionCookie(who.users.viewer, "viewer") })).response.status).toBe(200);

    await readers[0].cancel();
    open.splice(open.indexOf(readers[0]), 1);
    expect((await connect(bearer(who.viewer))).response.status).toBe(200);
  });
});

describe("streams whose credentials end", () => {
  it("ends a token's stream within seconds of the token's revocation", async () => {
    const { token, record } = await createToken({ actor: SYSTEM_ACTOR, input: { name: `watcher-${crypto.randomUUID().slice(0, 8)}`, role: "viewer" } });
    const { response, reader } = await connect(bearer(token));
    expect(response.status).toBe(200);
    expect(await readUntil(reader!, "event: snapshot")).toContain("event: snapshot");

    await revokeToken({ actor: SYSTEM_ACTOR, input: { id: record.id } });
    expect(await endsWithin(reader!, 5000)).toBe(true);
  });

  it("ends a signed-in person's stream within seconds of the account being disabled, and keeps other people's", async () => {
    const person = await createUser({ actor: SYSTEM_ACTOR, input: { email: `watcher-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "operator", password: "correct horse battery" } });
    const theirs = await connect({ cookie: await sessionCookie(person, "operator") });
    const others = await connect(bearer(who.viewer));
    expect(await readUntil(theirs.reader!, "event: snapshot")).toContain("event: snapshot");
    expect(await readUntil(others.reader!, "event: snapshot")).toContain("event: snapshot");

    const admin = { kind: "user" as const, id: who.users.admin.id, name: who.users.admin.email, role: "admin" as const };
    await updateUser({ actor: admin, input: { id: person.id, patch: { disabled: true } } });
    expect(await endsWithin(theirs.reader!, 5000)).toBe(true);
    expect(await endsWithin(others.reader!, 2 * STREAM_LIMITS.recheckMs + 500)).toBe(false);
  });
});

describe("a client that stops reading", () => {
  it(`is dropped once ${MAX_QUEUED_BYTES / 1024 / 1024} MiB wait for it, and its subscription removed`, async () => {
    const before = subscriberCount();
    const { response, reader } = await connect(bearer(who.viewer));
    expect(response.status).toBe(200);
    await waitFor(() => subscriberCount() === before + 1, 5000, "the stream's subscription");

    // Progress events of about 7 KB each, never read: enough to pass the limit with room to spare.
    const message = "x".repeat(7000);
    const count = Math.ceil((2 * MAX_QUEUED_BYTES) / message.length);
    for (let index = 0; index < count; index += 50) {
      await publish(
        ...Array.from({ length: 50 }, (_, offset) => ({
          name: "execution.progress" as const,
          data: { id: crypto.randomUUID(), jobId: null, percent: (index + offset) % 100, message },
        })),
      );
    }
    await waitFor(() => subscriberCount() === before, 10_000, "the slow client's subscription to be removed");
    expect(openStreamCount()).toBe(0);
    await expect(reader!.read()).rejects.toThrow(/stopped reading/);
    open.splice(open.indexOf(reader!), 1);
  });
});
