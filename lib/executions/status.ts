// Which execution statuses are still going. Client-safe (types only): the console's monitor,
// details modal and timeline share it with the services.
import type { EXECUTION_STATUSES } from "@/lib/jobs/schemas";

export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Queued or running: not yet finished one way or another. */
export const isActive = (status: ExecutionStatus): boolean => status === "QUEUED" || status === "RUNNING";

/** How many active executions a live view holds: the SSE snapshot and GET /api/executions/active send the oldest this many. */
export const ACTIVE_LIMIT = 1000;
