import { backfillJob, BackfillBody, previewBackfill } from "@/lib/jobs/backfill";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";

// POST /api/jobs/:id/backfill – queue runs for a past range's fire times (or list them: dryRun)
export const POST = route({ role: "operator", body: BackfillBody }, async ({ actor, body, params }) => {
  const input = { id: params.id, ...body };
  if (body.dryRun) return previewBackfill({ actor, input });
  return json(await backfillJob({ actor, input }), { status: 202 });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
