// Calls the real route handlers with real Request objects, as Next.js would, by path.
import * as jobs from "@/app/api/jobs/route";
import * as job from "@/app/api/jobs/[id]/route";
import * as enable from "@/app/api/jobs/[id]/enable/route";
import * as disable from "@/app/api/jobs/[id]/disable/route";
import * as reset from "@/app/api/jobs/[id]/reset/route";
import * as audit from "@/app/api/audit/route";
import * as definitions from "@/app/api/definitions/route";
import * as health from "@/app/api/health/route";
import * as openapi from "@/app/api/openapi.json/route";
import * as runJob from "@/app/api/jobs/[id]/run/route";
import * as runNow from "@/app/api/jobs/[id]/run-now/route";
import * as jobExecutions from "@/app/api/jobs/[id]/executions/route";
import * as jobExecution from "@/app/api/jobs/[id]/executions/[executionId]/route";
import * as executions from "@/app/api/executions/route";
import * as activeExecutions from "@/app/api/executions/active/route";
import * as execution from "@/app/api/executions/[id]/route";
import * as cancelExecution from "@/app/api/executions/[id]/cancel/route";
import * as executionLogs from "@/app/api/executions/[id]/logs/route";
import * as cleanupStalled from "@/app/api/executions/cleanup-stalled/route";
import * as enqueue from "@/app/api/enqueue/route";
import * as stats from "@/app/api/stats/route";
import * as events from "@/app/api/events/route";
import * as cronTick from "@/app/api/cron/tick/route";
import * as secrets from "@/app/api/secrets/route";
import * as secret from "@/app/api/secrets/[name]/route";
import * as channels from "@/app/api/channels/route";
import * as channel from "@/app/api/channels/[id]/route";
import * as channelTest from "@/app/api/channels/[id]/test/route";
import * as channelDeliveries from "@/app/api/channels/[id]/deliveries/route";
import * as retryDelivery from "@/app/api/channels/[id]/deliveries/[deliveryId]/retry/route";
import * as metrics from "@/app/api/metrics/route";
import * as bulk from "@/app/api/jobs/bulk/route";
import * as backfill from "@/app/api/jobs/[id]/backfill/route";
import * as pause from "@/app/api/jobs/[id]/pause/route";
import * as resume from "@/app/api/jobs/[id]/resume/route";
import * as maintenance from "@/app/api/maintenance/route";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Module = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

const ROUTES: [RegExp, string[], Module][] = [
  [/^\/api\/jobs$/, [], jobs],
  // Before /api/jobs/:id, which would take "bulk" for an id.
  [/^\/api\/jobs\/bulk$/, [], bulk],
  [/^\/api\/jobs\/([^/]+)$/, ["id"], job],
  [/^\/api\/jobs\/([^/]+)\/enable$/, ["id"], enable],
  [/^\/api\/jobs\/([^/]+)\/disable$/, ["id"], disable],
  [/^\/api\/jobs\/([^/]+)\/reset$/, ["id"], reset],
  [/^\/api\/jobs\/([^/]+)\/backfill$/, ["id"], backfill],
  [/^\/api\/jobs\/([^/]+)\/pause$/, ["id"], pause],
  [/^\/api\/jobs\/([^/]+)\/resume$/, ["id"], resume],
  [/^\/api\/maintenance$/, [], maintenance],
  [/^\/api\/audit$/, [], audit],
  [/^\/api\/definitions$/, [], definitions],
  [/^\/api\/health$/, [], health],
  [/^\/api\/openapi\.json$/, [], openapi],
  [/^\/api\/jobs\/([^/]+)\/run$/, ["id"], runJob],
  [/^\/api\/jobs\/([^/]+)\/run-now$/, ["id"], runNow],
  [/^\/api\/jobs\/([^/]+)\/executions$/, ["id"], jobExecutions],
  [/^\/api\/jobs\/([^/]+)\/executions\/([^/]+)$/, ["id", "executionId"], jobExecution],
  [/^\/api\/executions$/, [], executions],
  // Before /api/executions/:id, which would take "active" and "cleanup-stalled" for ids.
  [/^\/api\/executions\/active$/, [], activeExecutions],
  [/^\/api\/executions\/cleanup-stalled$/, [], cleanupStalled],
  [/^\/api\/executions\/([^/]+)$/, ["id"], execution],
  [/^\/api\/executions\/([^/]+)\/cancel$/, ["id"], cancelExecution],
  [/^\/api\/executions\/([^/]+)\/logs$/, ["id"], executionLogs],
  [/^\/api\/enqueue$/, [], enqueue],
  [/^\/api\/stats$/, [], stats],
  [/^\/api\/events$/, [], events],
  [/^\/api\/cron\/tick$/, [], cronTick],
  [/^\/api\/secrets$/, [], secrets],
  [/^\/api\/secrets\/([^/]+)$/, ["name"], secret],
  [/^\/api\/channels$/, [], channels],
  [/^\/api\/channels\/([^/]+)$/, ["id"], channel],
  [/^\/api\/channels\/([^/]+)\/test$/, ["id"], channelTest],
  [/^\/api\/channels\/([^/]+)\/deliveries$/, ["id"], channelDeliveries],
  [/^\/api\/channels\/([^/]+)\/deliveries\/([^/]+)\/retry$/, ["id", "deliveryId"], retryDelivery],
  [/^\/api\/metrics$/, [], metrics],
];

export const BASE_URL = "http://localhost:3000";

export interface ApiOptions {
  token?: string;
  /** A JSON-serialisable body, or a raw string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(method: string, pathAndQuery: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(pathAndQuery, BASE_URL);
  const path = url.pathname.replace(/^\/api\/v1\//, "/api/");
  for (const [pattern, names, module] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const handler = module[method as keyof Module];
    if (!handler) return { status: 405, headers: new Headers(), body: null as T };
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    const headers = new Headers(options.headers);
    if (options.token) headers.set("authorization", `Bearer ${options.token}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const response = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
    const text = await response.text();
    const isJson = (response.headers.get("content-type") ?? "application/json").includes("json");
    return { status: response.status, headers: response.headers, body: (text ? (isJson ? JSON.parse(text) : text) : null) as T };
  }
  throw new Error(`No route for ${method} ${path} in tests/support/api.ts`);
}
