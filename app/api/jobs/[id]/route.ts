import { deleteJob, getJob, JobPatch, JobReplace, updateJob } from "@/lib/jobs";
import { json } from "@/lib/http/respond";
import { etag, ifMatchVersion, route, otherMethods } from "@/lib/http/route";
import { VersionBody } from "@/lib/jobs/schemas";

// GET /api/jobs/:id – the job with its newest executions and audit events
export const GET = route({ role: "viewer" }, async ({ actor, params }) => {
  const job = await getJob({ actor, input: { id: params.id } });
  return json(job, { headers: etag(job.version) });
});

// PUT /api/jobs/:id – replace every editable field
export const PUT = route({ role: "operator", body: JobReplace }, async ({ actor, body, params, request }) => {
  const job = await updateJob({ actor, input: { id: params.id, changes: body, mode: "replace", expectedVersion: ifMatchVersion(request) } });
  return json(job, { headers: etag(job.version) });
});

// PATCH /api/jobs/:id – change some fields
export const PATCH = route({ role: "operator", body: JobPatch }, async ({ actor, body, params, request }) => {
  const job = await updateJob({ actor, input: { id: params.id, changes: body, mode: "patch", expectedVersion: ifMatchVersion(request) } });
  return json(job, { headers: etag(job.version) });
});

// DELETE /api/jobs/:id – soft delete
export const DELETE = route({ role: "operator", body: VersionBody, bodyOptional: true }, async ({ actor, body, params, request }) => {
  await deleteJob({ actor, input: { id: params.id, expectedVersion: ifMatchVersion(request) ?? body.version } });
  return new Response(null, { status: 204 });
});

// POST, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, OPTIONS } = otherMethods({ GET, PUT, PATCH, DELETE });
