import { activeExecutions } from "@/lib/executions/list";
import { route } from "@/lib/http/route";

// GET /api/executions/active – QUEUED and RUNNING executions
export const GET = route({ role: "viewer" }, ({ actor }) => activeExecutions({ actor }));
