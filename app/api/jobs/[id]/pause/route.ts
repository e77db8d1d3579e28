import { pauseJob, PauseBody } from "@/lib/jobs/pause";
import { json } from "@/lib/http/respond";
import { etag, ifMatchVersion, otherMethods, route } from "@/lib/http/route";

// POST /api/jobs/:id/pause – record the job's fires as SKIPPED (PAUSED) until a time
export const POST = route({ role: "operator", body: PauseBody }, async ({ actor, body, params, request }) => {
  const job = await pauseJob({ actor, input: { id: params.id, until: body.until, expectedVersion: ifMatchVersion(request) ?? body.version } });
  return json(job, { headers: etag(job.version) });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
