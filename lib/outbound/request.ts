// One outbound HTTP request under the policy: IP literals are checked before connecting, host
// names on the address they resolve to when the socket connects (so a DNS answer that changes
// between a check and the connect cannot slip through), and both again on every redirect, which
// are followed by hand (at most 5). The body is read as a stream: the first 16 KiB are kept and
// reading stops at 1 MiB, so memory stays flat whatever the server sends.
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { Agent, request, type Dispatcher } from "undici";
import { HandlerError } from "@/lib/handlers/errors";
import { redactUrl } from "@/lib/secrets/redact";
import { outboundPolicy } from "./config";
import { addressRefusal, literalRefusal, type OutboundPolicy } from "./policy";

export const MAX_KEPT_BYTES = 16 * 1024;
export const MAX_READ_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Dropped when a redirect leaves the origin, as browsers do: they were meant for the first server.
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface OutboundRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  policy?: OutboundPolicy;
}

export interface OutboundResponse {
  status: number;
  /** The URL that answered, after redirects (its password redacted). */
  url: string;
  redirects: number;
  /** At most the first 16 KiB, as text. */
  body: string;
  /** True when the body was longer than what was kept. */
  truncated: boolean;
  /** Bytes read: the whole body, or 1 MiB and a little when reading stopped there. */
  bytesRead: number;
}

export class BlockedAddressError extends HandlerError {
  constructor(message: string) {
    super("BLOCKED_ADDRESS", message);
  }
}

export async function outboundRequest(input: OutboundRequest): Promise<OutboundResponse> {
  const policy = input.policy ?? outboundPolicy();
  // One agent per request: its connections belong to this run only, and a refusal seen by the
  // lookup is known for sure, whatever error the socket reports it with.
  let blocked: string | null = null;
  const agent = new Agent({
    connect: { lookup: guardedLookup(policy, (reason) => (blocked = reason)) },
    keepAliveTimeout: 1000,
  });
  try {
    let url = new URL(input.url);
    let method = input.method;
    let headers = { ...input.headers };
    let body = input.body;
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new HandlerError("HANDLER_ERROR", `Redirected to a ${url.protocol} URL; only http and https are followed`);
      const refusal = literalRefusal(policy, url);
      if (refusal) throw new BlockedAddressError(refusal);
      let answer: Dispatcher.ResponseData;
      try {
        answer = await request(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : body, signal: input.signal, dispatcher: agent });
      } catch (error) {
        if (blocked) throw new BlockedAddressError(blocked);
        throw error;
      }
      const location = header(answer.headers.location);
      if (!REDIRECTS.has(answer.statusCode) || !location) return await readBody(answer, url, redirects);
      await answer.body.dump();
      if (redirects >= MAX_REDIRECTS) throw new HandlerError("TOO_MANY_REDIRECTS", `More than ${MAX_REDIRECTS} redirects, the last to ${redactUrl(location)}`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      if (answer.statusCode === 303 || ((answer.statusCode === 301 || answer.statusCode === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
      }
      url = next;
    }
  } finally {
    void agent.destroy().catch(() => undefined);
  }
}

function guardedLookup(policy: OutboundPolicy, onBlocked: (reason: string) => void): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const allowed = addresses.filter((entry) => addressRefusal(policy, entry.address, hostname) === null);
      if (allowed.length === 0) {
        const reason = addresses.length
          ? `${hostname} resolves to ${addressRefusal(policy, addresses[0].address, hostname)}`
          : `${hostname} resolves to no address`;
        onBlocked(reason);
        return callback(Object.assign(new Error(reason), { code: "BLOCKED_ADDRESS" }), "", 4);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

async function readBody(answer: Dispatcher.ResponseData, url: URL, redirects: number): Promise<OutboundResponse> {
  const decoder = new StringDecoder("utf8");
  let text = "";
  let kept = 0;
  let bytesRead = 0;
  let stopped = false;
  for await (const chunk of answer.body as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    if (kept < MAX_KEPT_BYTES) {
      const part = chunk.subarray(0, MAX_KEPT_BYTES - kept);
      kept += part.length;
      // StringDecoder holds back a character cut in two, so the kept text never ends in half of one.
      text += decoder.write(part);
    }
    if (bytesRead > MAX_READ_BYTES) {
      stopped = true;
      break;
    }
  }
  if (stopped) answer.body.destroy();
  return { status: answer.statusCode, url: redactUrl(url.toString()), redirects, body: text, truncated: bytesRead > kept, bytesRead };
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}
