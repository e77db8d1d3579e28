import { driveTick } from "@/lib/scheduler/drive";
import { route, otherMethods } from "@/lib/http/route";

// POST /api/cron/tick – one scheduler tick and stalled sweep, for hosts without a long-lived process
export const POST = route({ role: "public" }, async ({ request }) => driveTick(request.headers.get("authorization")));

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
