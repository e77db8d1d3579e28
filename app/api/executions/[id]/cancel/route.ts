import { cancelExecution } from "@/lib/executions/cancel";
import { toExecutionDto } from "@/lib/executions/serialize";
import { json } from "@/lib/http/respond";
import { route, otherMethods } from "@/lib/http/route";

// POST /api/executions/:id/cancel – 200 when cancelled now (was queued), 202 while a running one stops
export const POST = route({ role: "operator" }, async ({ actor, params }) => {
  const { execution, pending } = await cancelExecution({ actor, input: { id: params.id } });
  return json(toExecutionDto(execution), { status: pending ? 202 : 200 });
});

// GET, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
