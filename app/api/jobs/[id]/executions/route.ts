import { JobExecutionsQuery, listJobExecutions } from "@/lib/executions/list";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/jobs/:id/executions – the job's history, newest first
export const GET = route({ role: "viewer", query: JobExecutionsQuery }, ({ actor, query, params }) =>
  listJobExecutions({ actor, input: { jobId: params.id, ...query } }),
);

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
