import { httpTick } from "@/lib/engine/http-tick";
import { otherMethods, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";
// The engine runs inside the request for TICKWORK_HTTP_TICK_SECONDS (at most 55): leave room to stop cleanly.
export const maxDuration = 60;

const drive = route({ role: "public" }, async ({ request }) => httpTick(request.headers.get("authorization")));

// GET /api/cron/tick – drive the engine for one time budget (Vercel Cron calls GET)
export const GET = drive;
// POST /api/cron/tick – the same, for other schedulers (Kubernetes CronJob, GitHub Actions, crontab + curl)
export const POST = drive;

// PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
