import { setJobEnabled } from "@/lib/jobs";
import { VersionBody } from "@/lib/jobs/schemas";
import { json } from "@/lib/http/respond";
import { etag, ifMatchVersion, route, otherMethods } from "@/lib/http/route";

// POST /api/jobs/:id/disable – idempotent
export const POST = route({ role: "operator", body: VersionBody, bodyOptional: true }, async ({ actor, body, params, request }) => {
  const expectedVersion = ifMatchVersion(request) ?? body.version;
  const job = await setJobEnabled({ actor, input: { id: params.id, enabled: false, expectedVersion } });
  return json(job, { headers: etag(job.version) });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
