// http.request: calls a URL, for scheduling webhooks. Fails unless the status is the expected one.
import { z } from "zod";
import type { JobHandler } from "./types";

const MAX_BODY_CHARS = 16_384;

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
  description: "Sends an HTTP request (a webhook, a health check, a report trigger) and records the response status and body.",
  examples: [
    { title: "Ping a health endpoint", params: { url: "https://example.test/health" } },
    {
      title: "POST a JSON webhook",
      params: { method: "POST", url: "https://example.test/hooks/nightly", body: { source: "tickwork" }, expectedStatus: [200, 202] },
    },
  ],
  defaultParams: { method: "GET", url: "https://example.test/health" },
  params,
  async run({ params, signal, progress, execution }) {
    const timeout = AbortSignal.timeout(params.timeoutMs);
    const body = params.body === undefined || typeof params.body === "string" ? params.body : JSON.stringify(params.body);
    const headers = {
      ...(body && typeof params.body !== "string" ? { "content-type": "application/json" } : {}),
      ...params.headers,
      // So a receiver can tell a retry (a new id) from a repeat of the same run, and deduplicate.
      "Tickwork-Execution-Id": execution.id,
      "Tickwork-Scheduled-For": execution.scheduledFor.toISOString(),
    };
    progress(0, `${params.method} ${params.url}`);
    const response = await fetch(params.url, {
      method: params.method,
      headers,
      body: params.method === "GET" || params.method === "HEAD" ? undefined : body,
      signal: AbortSignal.any([signal, timeout]),
      redirect: "follow",
    });
    const text = (await response.text()).slice(0, MAX_BODY_CHARS);
    const ok = params.expectedStatus ? params.expectedStatus.includes(response.status) : response.ok;
    if (!ok) throw new Error(`${params.method} ${params.url} answered ${response.status}: ${text.slice(0, 500)}`);
    progress(100, `Answered ${response.status}`);
    return { status: response.status, body: text };
  },
} satisfies JobHandler<typeof params>;
