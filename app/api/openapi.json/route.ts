import { openApiJson } from "@/lib/http/openapi";
import { ifNoneMatch, route, otherMethods } from "@/lib/http/route";

// The document changes only with the code: a client may keep it, and must revalidate with its ETag.
const CACHE_CONTROL = "public, max-age=0, must-revalidate";

// GET /api/openapi.json – the OpenAPI 3.1 document of this API (304 when If-None-Match names it)
export const GET = route({ role: "public" }, async ({ request }) => {
  const { body, etag } = openApiJson();
  const headers = { etag, "cache-control": CACHE_CONTROL };
  if (ifNoneMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers: { ...headers, "content-type": "application/json" } });
});

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
