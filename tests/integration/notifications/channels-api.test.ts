// The channels API: admin writes, operator reads; the secret shown once; bad input answered 400 on
// the field it is about (kind, events, a URL the outbound policy refuses, an invalid email, unknown
// job ids, email without SMTP_URL); audit of create, update and delete; "Send test" answering the
// endpoint's status or the connection error, on a local HTTP server and a local SMTP server; the
// delivery log, newest first, and retrying a failed delivery.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { api } from "../../support/api";
import { auditRows, createIdentities, detailPaths, expectError, postJob, resetDatabase, type Identities } from "../../support/fixtures";
import { useLocalServer } from "../../support/http-server";
import { useLocalSmtp } from "../../support/smtp-server";
import { postChannel, verifySignature } from "./support";

let who: Identities;
const receiver = useLocalServer((request, response) => {
  if (request.url === "/fail") return void response.writeHead(500, { "content-type": "text/plain" }).end("receiver exploded");
  response.end("ok");
});
const smtp = useLocalSmtp();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

// SMTP_URL is read when a channel is created or an email sent; the local SMTP server's port is only
// known once it listens, so the tests set it on the parsed configuration.
afterEach(() => {
  env.SMTP_URL = undefined;
});

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const channelBody = (overrides: Record<string, unknown> = {}) => ({ name: "Ops hook", kind: "webhook", target: "https://hooks.example.test/tickwork", events: ["failed"], ...overrides });

describe("POST, GET, PATCH and DELETE /api/channels", () => {
  it("creates a channel with its secret shown once, reads it without the secret, and audits without it", async () => {
    const response = await api("POST", "/api/channels", { token: who.admin, body: channelBody({ events: ["late", "failed", "failed"] }) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const { secret, ...channel } = response.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(response.headers.get("location")).toBe(`/api/channels/${channel.id}`);
    expect(channel).toEqual({
      id: expect.any(String),
      name: "Ops hook",
      kind: "webhook",
      target: "https://hooks.example.test/tickwork",
      events: ["failed", "late"],
      jobIds: null,
      enabled: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      createdBy: who.tokenNames.admin,
    });

    const read = await api("GET", `/api/channels/${channel.id}`, { token: who.operator });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(channel);
    const list = await api("GET", "/api/v1/channels", { token: who.operator });
    expect(list.body.items).toContainEqual(channel);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const audit = await auditRows(channel.id);
    expect(audit.map((event) => [event.action, event.summary])).toEqual([["channel.create", 'Created webhook channel "Ops hook"']]);
    expect(JSON.stringify(audit, (_key, value) => (typeof value === "bigint" ? String(value) : value))).not.toContain(secret);
  });

  it("lets admins write and operators read; viewers and anonymous callers get nothing", async () => {
    const { id } = await postChannel(who.admin, { target: "https://hooks.example.test/roles" });
    for (const token of [who.operator, who.viewer]) {
      expectError(await api("POST", "/api/channels", { token, body: channelBody() }), 403, "FORBIDDEN");
      expectError(await api("PATCH", `/api/channels/${id}`, { token, body: { enabled: false } }), 403, "FORBIDDEN");
      expectError(await api("DELETE", `/api/channels/${id}`, { token }), 403, "FORBIDDEN");
      expectError(await api("POST", `/api/channels/${id}/test`, { token }), 403, "FORBIDDEN");
    }
    for (const path of ["/api/channels", `/api/channels/${id}`, `/api/channels/${id}/deliveries`]) {
      expectError(await api("GET", path, { token: who.viewer }), 403, "FORBIDDEN");
      expectError(await api("GET", path), 401, "UNAUTHENTICATED");
      expect((await api("GET", path, { token: who.operator })).status).toBe(200);
    }
  });

  it.each([
    ["an unknown kind", { kind: "pager" }, "kind"],
    ["an unknown event", { events: ["failed", "exploded"] }, "events"],
    ["no event", { events: [] }, "events"],
    ["a URL the outbound policy refuses (127.0.0.2)", { target: "http://127.0.0.2/hook" }, "target"],
    ["a URL the outbound policy refuses ([::1])", { kind: "slack", target: "http://[::1]:8080/hook" }, "target"],
    ["cloud metadata", { target: "http://169.254.169.254/latest" }, "target"],
    ["a URL that is not http", { target: "ftp://hooks.example.test/x" }, "target"],
    ["no URL at all", { target: "not a url" }, "target"],
    ["an unknown field", { secret: "mine" }, "secret"],
    ["a job id that is not a uuid", { jobIds: ["nope"] }, "jobIds"],
  ] as [string, Record<string, unknown>, string][])("refuses %s with 400 on the field", async (_label, overrides, field) => {
    const error = expectError(await api("POST", "/api/channels", { token: who.admin, body: channelBody(overrides) }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe(field);
    if (field === "target" && String(overrides.target).includes("127.0.0.2")) expect(error.message).toContain("TICKWORK_HTTP_ALLOW");
  });

  it("names each unknown job id", async () => {
    const job = await postJob(who.operator);
    const unknown = crypto.randomUUID();
    const error = expectError(await api("POST", "/api/channels", { token: who.admin, body: channelBody({ jobIds: [job.id, unknown] }) }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("jobIds");
    expect(error.details).toEqual([{ path: "jobIds.1", message: `No job with id ${unknown}` }]);
    const created = await postChannel(who.admin, { target: "https://hooks.example.test/one-job", jobIds: [job.id] });
    expect(created.jobIds).toEqual([job.id]);
  });

  it("refuses email channels while SMTP_URL is unset, saying why, and checks the address once it is set", async () => {
    const error = expectError(await api("POST", "/api/channels", { token: who.admin, body: channelBody({ kind: "email", target: "ops@example.test" }) }), 400, "VALIDATION_FAILED");
    expect(error.field).toBe("kind");
    expect(error.message).toContain("SMTP_URL");
    env.SMTP_URL = (await smtp).url;
    const invalid = expectError(await api("POST", "/api/channels", { token: who.admin, body: channelBody({ kind: "email", target: "not-an-address" }) }), 400, "VALIDATION_FAILED");
    expect(invalid.field).toBe("target");
    const channel = await postChannel(who.admin, { kind: "email", target: "ops@example.test" });
    expect(channel.kind).toBe("email");
  });

  it("patches fields, checks the target against the resulting kind, and audits what changed", async () => {
    const { id } = await postChannel(who.admin, { target: "https://hooks.example.test/patch", events: ["failed"] });
    const disabled = await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { enabled: false } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    const job = await postJob(who.operator);
    const changed = await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { events: ["recovered", "failed"], jobIds: [job.id], name: "Renamed" } });
    expect(changed.body).toMatchObject({ events: ["failed", "recovered"], jobIds: [job.id], name: "Renamed" });
    const same = await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { name: "Renamed" } });
    expect(same.status).toBe(200);

    expect(expectError(await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { kind: "slack", target: "http://127.0.0.2/x" } }), 400, "VALIDATION_FAILED").field).toBe("target");
    expect(expectError(await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { jobIds: [crypto.randomUUID()] } }), 400, "VALIDATION_FAILED").field).toBe("jobIds");
    expect(expectError(await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { kind: "email" } }), 400, "VALIDATION_FAILED").field).toBe("kind");
    env.SMTP_URL = (await smtp).url;
    // The webhook's URL is no email address.
    expect(expectError(await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { kind: "email" } }), 400, "VALIDATION_FAILED").field).toBe("target");

    const audit = await auditRows(id);
    expect(audit.map((event) => event.action)).toEqual(["channel.create", "channel.update", "channel.update"]);
    expect(audit[1].summary).toMatch(/^Disabled channel "Channel /);
    expect(Object.keys(audit[2].changes as object).sort()).toEqual(["events", "jobIds", "name"]);
    expect(detailPaths(expectError(await api("PATCH", `/api/channels/${id}`, { token: who.admin, body: { events: ["nope"] } }), 400, "VALIDATION_FAILED"))).toEqual(["events.0"]);
  });

  it("deletes a channel: 204, then 404, audited", async () => {
    const { id } = await postChannel(who.admin, { target: "https://hooks.example.test/delete" });
    const deleted = await api("DELETE", `/api/channels/${id}`, { token: who.admin });
    expect(deleted.status).toBe(204);
    expectError(await api("GET", `/api/channels/${id}`, { token: who.operator }), 404, "NOT_FOUND");
    expectError(await api("DELETE", `/api/channels/${id}`, { token: who.admin }), 404, "NOT_FOUND");
    expectError(await api("GET", `/api/channels/not-a-uuid`, { token: who.operator }), 404, "NOT_FOUND");
    expect((await auditRows(id)).map((event) => event.action)).toEqual(["channel.create", "channel.delete"]);
  });
});

describe("POST /api/channels/:id/test", () => {
  it("sends a signed test to a webhook and answers its status", async () => {
    const { base, seen } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/hook` });
    const response = await api("POST", `/api/channels/${channel.id}/test`, { token: who.admin });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ ok: true, status: 200, error: null, delivery: { event: "test", status: "delivered", attempts: 1 } });
    const request = seen.at(-1)!;
    expect(request.url).toBe("/hook");
    expect(JSON.parse(request.body)).toMatchObject({ event: "test", job: null, execution: null });
    expect(verifySignature(request.headers["tickwork-signature"], request.body, channel.secret)).toBe(true);
    expect(verifySignature(request.headers["tickwork-signature"], request.body, "whsec_another")).toBe(false);
    expect(request.headers["tickwork-delivery"]).toBe(response.body.delivery.id);
  });

  it("answers the endpoint's failing status and body start", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { kind: "slack", target: `${base}/fail` });
    const response = await api("POST", `/api/channels/${channel.id}/test`, { token: who.admin });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: false, status: 500, error: "The endpoint answered 500: receiver exploded", delivery: { status: "failed", lastStatus: 500 } });
  });

  it("answers the connection error when nothing listens", async () => {
    const channel = await postChannel(who.admin, { target: `http://127.0.0.1:${await closedPort()}/hook` });
    const response = await api("POST", `/api/channels/${channel.id}/test`, { token: who.admin });
    expect(response.body.ok).toBe(false);
    expect(response.body.status).toBeNull();
    expect(response.body.error).toMatch(/ECONNREFUSED/);
  });

  it("sends a Slack-compatible message and an email with text and HTML", async () => {
    const { base, seen } = await receiver;
    const slack = await postChannel(who.admin, { kind: "slack", target: `${base}/slack` });
    expect((await api("POST", `/api/channels/${slack.id}/test`, { token: who.admin })).body.ok).toBe(true);
    const message = JSON.parse(seen.at(-1)!.body);
    expect(Object.keys(message)).toEqual(["text"]);
    expect(message.text).toContain("Test notification from Tickwork");
    expect(seen.at(-1)!.headers["tickwork-signature"]).toBeUndefined();

    const { url, mails } = await smtp;
    env.SMTP_URL = url;
    const email = await postChannel(who.admin, { kind: "email", target: "oncall@example.test" });
    const answer = await api("POST", `/api/channels/${email.id}/test`, { token: who.admin });
    expect(answer.body, JSON.stringify(answer.body)).toMatchObject({ ok: true, status: null, error: null });
    const mail = mails.at(-1)!;
    expect(mail.to).toEqual(["oncall@example.test"]);
    expect(mail.decoded).toContain("Subject: [Tickwork] Test notification from Tickwork");
    expect(mail.decoded).toMatch(/Content-Type: text\/plain/);
    expect(mail.decoded).toMatch(/Content-Type: text\/html/);
  });

  it("answers the SMTP connection error when the mail server is down", async () => {
    env.SMTP_URL = (await smtp).url;
    const email = await postChannel(who.admin, { kind: "email", target: "oncall@example.test" });
    env.SMTP_URL = `smtp://127.0.0.1:${await closedPort()}`;
    const answer = await api("POST", `/api/channels/${email.id}/test`, { token: who.admin });
    expect(answer.body).toMatchObject({ ok: false, status: null });
    expect(answer.body.error).toMatch(/ECONNREFUSED/);
  });
});

describe("GET /api/channels/:id/deliveries and retry", () => {
  it("pages the delivery log newest first, filters by status, and retries a failed delivery", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/fail` });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api("POST", `/api/channels/${channel.id}/test`, { token: who.admin })).body.delivery.id);
    const first = await api("GET", `/api/channels/${channel.id}/deliveries?pageSize=2`, { token: who.operator });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    const second = await api("GET", `/api/channels/${channel.id}/deliveries?pageSize=2&page=2`, { token: who.operator });
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect((await api("GET", `/api/channels/${channel.id}/deliveries?status=delivered`, { token: who.operator })).body.total).toBe(0);
    expect(expectError(await api("GET", `/api/channels/${channel.id}/deliveries?status=lost`, { token: who.operator }), 400, "VALIDATION_FAILED").field).toBe("status");
    expectError(await api("GET", `/api/channels/${crypto.randomUUID()}/deliveries`, { token: who.operator }), 404, "NOT_FOUND");
    // A test is not retried; an unknown delivery is 404.
    expectError(await api("POST", `/api/channels/${channel.id}/deliveries/${ids[0]}/retry`, { token: who.admin }), 409, "INVALID_STATE");
    expectError(await api("POST", `/api/channels/${channel.id}/deliveries/${crypto.randomUUID()}/retry`, { token: who.admin }), 404, "NOT_FOUND");
    expectError(await api("POST", `/api/channels/${channel.id}/deliveries/${ids[0]}/retry`, { token: who.operator }), 403, "FORBIDDEN");
  });
});
