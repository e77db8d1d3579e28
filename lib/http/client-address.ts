// Which address a request came from. The HTTP server appends each connection's peer address to
// X-Forwarded-For (recordPeerAddresses, installed at start), as a proxy would, so the last entry is
// always the address Next.js saw, whatever the client wrote in the header. Each trusted proxy in
// front (TICKWORK_TRUSTED_PROXY_HOPS) appended one more entry: the client is that many from the end.
// Next.js itself only fills X-Forwarded-For when the client sent none, so without this, a client
// could name any address it liked.
import http from "node:http";
import https from "node:https";
import { env } from "@/lib/env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The client's address: the X-Forwarded-For entry `hops` from the end ("unknown" without one). */
export function clientAddress(headers: HeaderSource, hops = env.TICKWORK_TRUSTED_PROXY_HOPS): string {
  const chain = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return "unknown";
  const address = chain[Math.max(0, chain.length - 1 - hops)];
  // IPv4 clients of a dual-stack socket show up as ::ffff:1.2.3.4.
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").slice(0, 100);
}

/** Appends the connection's peer address to the request's X-Forwarded-For. */
export function appendPeerAddress(request: http.IncomingMessage): void {
  const peer = request.socket?.remoteAddress;
  if (!peer) return;
  const forwarded = request.headers["x-forwarded-for"];
  request.headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${peer}` : peer;
}

const PATCHED = Symbol.for("tickwork.peerAddress");

/**
 * Makes every HTTP(S) server in this process append the peer address to each request before its
 * handlers see it. Next.js creates its server before instrumentation runs, so this wraps `emit`
 * on the prototypes rather than a server we could not reach. Idempotent.
 */
export function recordPeerAddresses(): void {
  for (const Server of [http.Server, https.Server]) {
    const prototype = Server.prototype as http.Server & { [PATCHED]?: true };
    if (prototype[PATCHED]) continue;
    const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") appendPeerAddress(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    } as typeof prototype.emit;
    prototype[PATCHED] = true;
  }
}
