import { openApiDocument } from "@/lib/http/openapi";
import { route } from "@/lib/http/route";

// GET /api/openapi.json – the OpenAPI 3.1 document of this API
export const GET = route({ role: "public" }, async () => openApiDocument());
