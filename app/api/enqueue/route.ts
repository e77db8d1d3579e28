import { enqueue, EnqueueBody } from "@/lib/executions/enqueue";
import { toExecutionDto } from "@/lib/executions/serialize";
import { json } from "@/lib/http/respond";
import { route, otherMethods } from "@/lib/http/route";

// POST /api/enqueue – an ad-hoc run of a handler
export const POST = route({ role: "operator", body: EnqueueBody }, async ({ actor, body }) => {
  const queued = await enqueue({ actor, input: body });
  return json({ ...queued, execution: toExecutionDto(queued.execution) }, { status: 202, headers: { location: `/api/executions/${queued.execution.id}` } });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
