import { driveTick } from "@/lib/engine/http-tick";
import { route } from "@/lib/http/route";

// POST /api/cron/tick – one scheduler tick and stalled sweep, for hosts without a long-lived process
export const POST = route({ role: "public" }, async ({ request }) => driveTick(request.headers.get("authorization")));
