import { logText, LogQuery, readLog } from "@/lib/executions/logs";
import { otherMethods, route } from "@/lib/http/route";

// GET /api/executions/:id/logs – a page of the run's log after a seq, or (?format=text) all of it as a download
export const GET = route({ role: "viewer", query: LogQuery }, async ({ actor, params, query }) => {
  if (query.format === "json") return readLog({ actor, input: { id: params.id, after: query.after, limit: query.limit } });
  const text = await logText({ actor, input: { id: params.id } });
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="execution-${params.id}.log"`,
      "cache-control": "no-store",
    },
  });
});

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
