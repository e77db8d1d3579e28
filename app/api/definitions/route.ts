import { definitions } from "@/lib/handlers/registry";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/definitions – handler types with JSON Schema of their params
export const GET = route({ role: "viewer" }, async () => ({ items: definitions() }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
