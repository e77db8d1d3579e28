import { JobExecutionsQuery, listJobExecutions } from "@/lib/executions/list";
import { route } from "@/lib/http/route";

// GET /api/jobs/:id/executions – the job's history, newest first
export const GET = route({ role: "viewer", query: JobExecutionsQuery }, ({ actor, query, params }) =>
  listJobExecutions({ actor, input: { jobId: params.id, ...query } }),
);
