import { bulkJobs } from "@/lib/jobs/bulk";
import { BulkBody } from "@/lib/jobs/schemas";
import { otherMethods, route } from "@/lib/http/route";

// POST /api/jobs/bulk – enable, disable, run or delete many jobs; a result per job
export const POST = route({ role: "operator", body: BulkBody }, ({ actor, body }) => bulkJobs({ actor, input: body }));

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
