// http.request: calls a URL, for scheduling webhooks, under the outbound HTTP policy (lib/outbound).
// Fails unless the status is the expected one.
import { z } from "zod";
import { outboundPolicy } from "@/lib/outbound/config";
import { literalRefusal } from "@/lib/outbound/policy";
import { outboundRequest } from "@/lib/outbound/request";
import { redactUrl } from "@/lib/secrets/redact";
import { HandlerError } from "./errors";
import type { JobHandler } from "./types";

const params = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  url: z.url({ protocol: /^https?$/, error: "Use an http or https URL" }),
  headers: z.record(z.string().min(1).max(200), z.string().max(8192)).default({}),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
  expectedStatus: z
    .array(z.number().int().min(100).max(599))
    .min(1)
    .optional()
    .describe("Statuses that count as success; any 2xx when omitted"),
});

export const httpRequest = {
  type: "http.request",
  description:
    "Sends an HTTP request (a webhook, a health check, a report trigger) and records the response status and the start of its body. Private, loopback and link-local addresses are refused unless TICKWORK_HTTP_ALLOW lists them.",
  examples: [
    { title: "Ping a health endpoint", params: { url: "https://example.test/health" } },
    {
      title: "POST a JSON webhook",
      params: { method: "POST", url: "https://example.test/hooks/nightly", body: { source: "tickwork" }, expectedStatus: [200, 202] },
    },
  ],
  defaultParams: { method: "GET", url: "https://example.test/health" },
  params,
  check(params) {
    const refusal = literalRefusal(outboundPolicy(), new URL(params.url));
    return refusal ? [{ path: ["url"], message: refusal }] : [];
  },
  async run({ params, signal, progress, execution }) {
    const shownUrl = redactUrl(params.url);
    const timeout = AbortSignal.timeout(params.timeoutMs);
    const body = params.body === undefined || typeof params.body === "string" ? params.body : JSON.stringify(params.body);
    const headers = {
      ...(body && typeof params.body !== "string" ? { "content-type": "application/json" } : {}),
      ...params.headers,
      // So a receiver can tell a retry (a new id) from a repeat of the same run, and deduplicate.
      "Tickwork-Execution-Id": execution.id,
      "Tickwork-Scheduled-For": execution.scheduledFor.toISOString(),
    };
    progress(0, `${params.method} ${shownUrl}`);
    const response = await outboundRequest({ method: params.method, url: params.url, headers, body, signal: AbortSignal.any([signal, timeout]) }).catch(
      (error: unknown) => {
        if (timeout.aborted && !signal.aborted) throw new HandlerError("HANDLER_ERROR", `${params.method} ${shownUrl}: no answer within ${params.timeoutMs} ms`);
        throw error;
      },
    );
    const ok = params.expectedStatus ? params.expectedStatus.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!ok) throw new Error(`${params.method} ${response.url} answered ${response.status}: ${response.body.slice(0, 500)}`);
    progress(100, `Answered ${response.status}`);
    return {
      status: response.status,
      body: response.body,
      truncated: response.truncated,
      ...(response.redirects > 0 ? { url: response.url, redirects: response.redirects } : {}),
    };
  },
} satisfies JobHandler<typeof params>;
