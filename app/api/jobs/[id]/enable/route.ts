import { setJobEnabled } from "@/lib/jobs";
import { VersionBody } from "@/lib/jobs/schemas";
import { json } from "@/lib/http/respond";
import { etag, ifMatchVersion, route } from "@/lib/http/route";

// POST /api/jobs/:id/enable – idempotent
export const POST = route({ role: "operator", body: VersionBody, bodyOptional: true }, async ({ actor, body, params, request }) => {
  const expectedVersion = ifMatchVersion(request) ?? body.version;
  const job = await setJobEnabled({ actor, input: { id: params.id, enabled: true, expectedVersion } });
  return json(job, { headers: etag(job.version) });
});
