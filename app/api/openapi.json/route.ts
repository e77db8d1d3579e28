import { openApiDocument } from "@/lib/http/openapi";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/openapi.json – the OpenAPI 3.1 document of this API
export const GET = route({ role: "public" }, async () => openApiDocument());

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
