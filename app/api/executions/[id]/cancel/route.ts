import { cancelExecution } from "@/lib/executions/cancel";
import { toExecutionDto } from "@/lib/executions/serialize";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

// POST /api/executions/:id/cancel – 200 when cancelled now (was queued), 202 while a running one stops
export const POST = route({ role: "operator" }, async ({ actor, params }) => {
  const { execution, pending } = await cancelExecution({ actor, input: { id: params.id } });
  return json(toExecutionDto(execution), { status: pending ? 202 : 200 });
});
