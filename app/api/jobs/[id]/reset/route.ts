import { resetJob } from "@/lib/jobs";
import { VersionBody } from "@/lib/jobs/schemas";
import { json } from "@/lib/http/respond";
import { etag, ifMatchVersion, route } from "@/lib/http/route";

// POST /api/jobs/:id/reset – failed -> active
export const POST = route({ role: "operator", body: VersionBody, bodyOptional: true }, async ({ actor, body, params, request }) => {
  const job = await resetJob({ actor, input: { id: params.id, expectedVersion: ifMatchVersion(request) ?? body.version } });
  return json(job, { headers: etag(job.version) });
});
