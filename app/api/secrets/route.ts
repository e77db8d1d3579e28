import { otherMethods, route } from "@/lib/http/route";
import { listSecrets } from "@/lib/secrets";

// GET /api/secrets – every secret's name, dates and the jobs that use it; never a value (admin)
export const GET = route({ role: "admin" }, async ({ actor }) => ({ items: await listSecrets({ actor }) }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
