import { health } from "@/lib/health";
import { json } from "@/lib/http/respond";
import { route, otherMethods } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/health – liveness of the app, the database and the scheduler
export const GET = route({ role: "public" }, async () => {
  const report = await health();
  return json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
