import { createJob, JobInput, JobListQuery, listJobs } from "@/lib/jobs";
import { json } from "@/lib/http/respond";
import { etag, route, otherMethods } from "@/lib/http/route";

// GET /api/jobs – paginated, filtered list
export const GET = route({ role: "viewer", query: JobListQuery }, ({ actor, query }) => listJobs({ actor, input: query }));

// POST /api/jobs – create a job
export const POST = route({ role: "operator", body: JobInput }, async ({ actor, body }) => {
  const job = await createJob({ actor, input: body });
  return json(job, { status: 201, headers: { location: `/api/jobs/${job.id}`, ...etag(job.version) } });
});

// PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
