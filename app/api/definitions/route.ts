import { definitions } from "@/lib/handlers/registry";
import { route } from "@/lib/http/route";

// GET /api/definitions – handler types with JSON Schema of their params
export const GET = route({ role: "viewer" }, async () => ({ items: definitions() }));
