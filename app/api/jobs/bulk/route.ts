import { bulkJobs } from "@/lib/jobs/bulk";
import { BulkBody } from "@/lib/jobs/schemas";
import { route } from "@/lib/http/route";

// POST /api/jobs/bulk – enable, disable, run or delete many jobs; a result per job
export const POST = route({ role: "operator", body: BulkBody }, ({ actor, body }) => bulkJobs({ actor, input: body }));
