import { enqueue, EnqueueBody } from "@/lib/executions/enqueue";
import { toExecutionDto } from "@/lib/executions/serialize";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

// POST /api/enqueue – an ad-hoc run of a handler
export const POST = route({ role: "operator", body: EnqueueBody }, async ({ actor, body }) => {
  const queued = await enqueue({ actor, input: body });
  return json({ ...queued, execution: toExecutionDto(queued.execution) }, { status: 202, headers: { location: `/api/executions/${queued.execution.id}` } });
});
