import { resumeJob } from "@/lib/jobs/pause";
import { VersionBody } from "@/lib/jobs/schemas";
import { json } from "@/lib/http/respond";
import { etag, ifMatchVersion, otherMethods, route } from "@/lib/http/route";

// POST /api/jobs/:id/resume – end a pause now; idempotent
export const POST = route({ role: "operator", body: VersionBody, bodyOptional: true }, async ({ actor, body, params, request }) => {
  const job = await resumeJob({ actor, input: { id: params.id, expectedVersion: ifMatchVersion(request) ?? body.version } });
  return json(job, { headers: etag(job.version) });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
