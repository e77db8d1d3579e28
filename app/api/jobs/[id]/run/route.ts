import { runJob, RunJobBody } from "@/lib/jobs/run";
import { toExecutionDto } from "@/lib/executions/serialize";
import { json } from "@/lib/http/respond";
import { route, otherMethods } from "@/lib/http/route";

// POST /api/jobs/:id/run (alias /run-now) – queue a manual run now
export const POST = route({ role: "operator", body: RunJobBody, bodyOptional: true }, async ({ actor, body, params }) => {
  const queued = await runJob({ actor, input: { id: params.id, ...body } });
  return json({ ...queued, execution: toExecutionDto(queued.execution) }, { status: 202, headers: { location: `/api/executions/${queued.execution.id}` } });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
