// The client's address for the sign-in limits: the peer address the HTTP server appends to
// X-Forwarded-For, or the entry a trusted proxy appended, never what the client wrote.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, recordPeerAddresses } from "@/lib/http/client-address";

describe("clientAddress", () => {
  const chain = (value: string) => new Headers({ "x-forwarded-for": value });

  it("takes the last entry with no trusted proxy, whatever the client claimed before it", () => {
    expect(clientAddress(chain("203.0.113.9, 10.0.0.1, 127.0.0.1"), 0)).toBe("127.0.0.1");
  });

  it("takes the entry that many hops from the end behind trusted proxies", () => {
    expect(clientAddress(chain("203.0.113.9, 198.51.100.7, 10.0.0.1"), 1)).toBe("198.51.100.7");
    expect(clientAddress(chain("198.51.100.7, 10.0.0.1"), 5)).toBe("198.51.100.7");
  });

  it("shows an IPv4 client of a dual-stack socket as IPv4, and says unknown without a header", () => {
    expect(clientAddress(chain("::ffff:192.0.2.4"), 0)).toBe("192.0.2.4");
    expect(clientAddress(new Headers(), 0)).toBe("unknown");
    expect(clientAddress({ "x-forwarded-for": ["192.0.2.1", "192.0.2.2"] }, 0)).toBe("192.0.2.2");
  });
});

describe("recordPeerAddresses", () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    recordPeerAddresses();
    recordPeerAddresses(); // twice does no harm
    server = http.createServer((request, response) => response.end(JSON.stringify({ forwarded: request.headers["x-forwarded-for"] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      // From 127.0.0.2, another loopback address: the server sees that peer.
      const request = http.get({ host: "127.0.0.1", port, localAddress: "127.0.0.2", headers }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve(JSON.parse(body).forwarded));
      });
      request.on("error", reject);
    });
  }

  it("appends the connection's peer to a forged X-Forwarded-For, so the forgery is not the client", async () => {
    const forwarded = await get({ "x-forwarded-for": "203.0.113.66" });
    expect(forwarded).toBe("203.0.113.66, 127.0.0.2");
    expect(clientAddress({ "x-forwarded-for": forwarded }, 0)).toBe("127.0.0.2");
  });

  it("sets the header to the peer when the client sent none", async () => {
    expect(await get({})).toBe("127.0.0.2");
  });
});
