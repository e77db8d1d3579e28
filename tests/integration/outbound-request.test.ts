// Outbound requests under the policy, against local servers on 127.0.0.1: allowed when listed;
// 127.0.0.2, [::1] and a name resolving to loopback refused before any connection; every redirect
// checked again (at most 5); credentials dropped when a redirect leaves the origin; bodies read as
// a stream, 16 KiB kept and reading stopped at 1 MiB, also when the server sends 1.5 GB.
import { describe, expect, it } from "vitest";
import { parseAllowList } from "@/lib/outbound/policy";
import { MAX_KEPT_BYTES, MAX_READ_BYTES, outboundRequest } from "@/lib/outbound/request";
import { streamBytes, useLocalServer } from "../support/http-server";

const policy = parseAllowList("127.0.0.1");
const GiB = 1024 ** 3;
let streamed: Promise<number> | undefined;

const server = useLocalServer((request, response, seen) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const to = url.searchParams.get("to");
  if (url.pathname === "/hello") return void response.end(`hello ${seen.method} ${seen.body}`);
  if (url.pathname === "/redirect" && to) return void response.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to }).end();
  if (url.pathname === "/chain") {
    const left = Number(url.searchParams.get("left"));
    if (left === 0) return void response.end("end of the chain");
    return void response.writeHead(302, { location: `/chain?left=${left - 1}` }).end();
  }
  if (url.pathname === "/size") return void streamBytes(response, Number(url.searchParams.get("bytes")));
  if (url.pathname === "/huge") return void (streamed = streamBytes(response, 1.5 * GiB));
  if (url.pathname === "/utf8") return void response.end("é".repeat(MAX_KEPT_BYTES));
  response.writeHead(404).end();
});
const other = useLocalServer((_request, response) => response.end("other server"));

const get = (url: string, extra: Partial<Parameters<typeof outboundRequest>[0]> = {}) => outboundRequest({ method: "GET", url, policy, ...extra });

describe("the outbound policy at connect time", () => {
  it("calls a listed address and keeps the answer", async () => {
    const { base } = await server;
    const response = await outboundRequest({ method: "POST", url: `${base}/hello`, body: "ping", policy });
    expect(response).toMatchObject({ status: 200, body: "hello POST ping", truncated: false, redirects: 0 });
  });

  it.each([
    ["another loopback address", (port: number) => `http://127.0.0.2:${port}/hello`, /127\.0\.0\.2 is a loopback address/],
    ["IPv6 loopback", (port: number) => `http://[::1]:${port}/hello`, /::1 is a loopback address/],
    ["an IPv4-mapped loopback", (port: number) => `http://[::ffff:127.0.0.2]:${port}/hello`, /loopback/],
    ["cloud metadata", () => "http://169.254.169.254/latest/meta-data/", /link-local/],
  ])("refuses %s before connecting, with BLOCKED_ADDRESS", async (_what, url, reason) => {
    const { port } = await server;
    await expect(get(url(port))).rejects.toMatchObject({ code: "BLOCKED_ADDRESS", message: expect.stringMatching(reason) });
  });

  it("refuses a host name when what it resolves to is refused (localhost, not listed)", async () => {
    const { port, seen } = await server;
    const before = seen.length;
    await expect(get(`http://localhost:${port}/hello`, { policy: parseAllowList("") })).rejects.toMatchObject({ code: "BLOCKED_ADDRESS", message: expect.stringMatching(/^localhost resolves to .*loopback/) });
    expect(seen.length).toBe(before);
  });

  it("calls a host name whose address is listed (localhost on 127.0.0.1; its ::1 stays refused)", async () => {
    const { port } = await server;
    const response = await get(`http://localhost:${port}/hello`);
    expect(response.status).toBe(200);
  });
});

describe("redirects", () => {
  it.each([
    ["another loopback address", (port: number) => `http://127.0.0.2:${port}/hello`],
    ["IPv6 loopback", (port: number) => `http://[::1]:${port}/hello`],
    ["cloud metadata", () => "http://169.254.169.254/latest/meta-data/"],
  ])("checks every redirect: an allowed server sending the request to %s ends BLOCKED_ADDRESS", async (_what, to) => {
    const { base, port } = await server;
    await expect(get(`${base}/redirect?to=${encodeURIComponent(to(port))}`)).rejects.toMatchObject({ code: "BLOCKED_ADDRESS" });
  });

  it("follows 5 redirects and refuses the sixth", async () => {
    const { base } = await server;
    expect(await get(`${base}/chain?left=5`)).toMatchObject({ status: 200, body: "end of the chain", redirects: 5 });
    await expect(get(`${base}/chain?left=6`)).rejects.toMatchObject({ code: "TOO_MANY_REDIRECTS" });
  });

  it("drops credentials when a redirect leaves the origin, keeps them on the same origin, and turns a 303 into a GET", async () => {
    const { base, seen } = await server;
    const elsewhere = await other;
    const headers = { authorization: "Bearer abc", cookie: "a=b", "x-kept": "yes" };
    await outboundRequest({ method: "POST", url: `${base}/redirect?status=307&to=${encodeURIComponent(`${base}/hello`)}`, headers, body: "same", policy });
    expect(seen.at(-1)).toMatchObject({ method: "POST", body: "same", headers: { authorization: "Bearer abc", cookie: "a=b" } });
    const response = await outboundRequest({ method: "POST", url: `${base}/redirect?status=303&to=${encodeURIComponent(`${elsewhere.base}/x`)}`, headers, body: "x", policy });
    expect(response).toMatchObject({ status: 200, body: "other server", redirects: 1, url: `${elsewhere.base}/x` });
    const last = (await other).seen.at(-1)!;
    expect(last.method).toBe("GET");
    expect(last.headers.authorization).toBeUndefined();
    expect(last.headers.cookie).toBeUndefined();
    expect(last.headers["x-kept"]).toBe("yes");
  });
});

describe("bodies", () => {
  it("keeps a small body whole", async () => {
    const { base } = await server;
    expect(await get(`${base}/size?bytes=${MAX_KEPT_BYTES}`)).toMatchObject({ body: "x".repeat(MAX_KEPT_BYTES), truncated: false, bytesRead: MAX_KEPT_BYTES });
  });

  it("keeps 16 KiB of a longer body and reads it to the end while it is under 1 MiB", async () => {
    const { base } = await server;
    const response = await get(`${base}/size?bytes=${MAX_READ_BYTES}`);
    expect(response).toMatchObject({ truncated: true, bytesRead: MAX_READ_BYTES });
    expect(response.body.length).toBe(MAX_KEPT_BYTES);
  });

  it("never cuts a character in two", async () => {
    const { base } = await server;
    const response = await get(`${base}/utf8`);
    expect(response.body).toBe("é".repeat(MAX_KEPT_BYTES / 2));
  });

  it("stops reading at 1 MiB when the server streams 1.5 GB, with truncated: true", async () => {
    const { base } = await server;
    const rssBefore = process.memoryUsage().rss;
    const response = await get(`${base}/huge`);
    const written = await streamed!;
    const rssAfter = process.memoryUsage().rss;
    console.info(
      `1.5 GB response: read ${response.bytesRead} bytes, the server wrote ${written} before the client left; RSS ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(response).toMatchObject({ status: 200, truncated: true });
    expect(response.body.length).toBe(MAX_KEPT_BYTES);
    expect(response.bytesRead).toBeGreaterThan(MAX_READ_BYTES);
    expect(response.bytesRead).toBeLessThan(MAX_READ_BYTES + 256 * 1024);
    expect(written).toBeLessThan(1.5 * GiB);
  });
});
