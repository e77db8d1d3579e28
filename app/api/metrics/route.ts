import { otherMethods, route } from "@/lib/http/route";
import { isMetricsToken, scrapeMetrics } from "@/lib/metrics/scrape";

const metricsResponse = async () => {
  const { contentType, body } = await scrapeMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
};

const withMetricsToken = route({ role: "public" }, metricsResponse);
const asViewer = route({ role: "viewer" }, metricsResponse);

// GET /api/metrics – Prometheus text format (viewer, or Authorization: Bearer $METRICS_TOKEN)
export const GET = (request: Request) => (isMetricsToken(request.headers.get("authorization")) ? withMetricsToken(request) : asViewer(request));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
