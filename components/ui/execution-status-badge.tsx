// An execution's status in words and icon, with "Stopping" beside it while a cancel is pending:
// the same look in the runs monitor's cards and the details modal.
import { LastStatusBadge } from "@/components/jobs/status-badges";
import type { ExecutionStatus } from "@/lib/executions/status";
import { Badge } from "./badge";

export function ExecutionStatusBadge({ status, stopping, testId }: { status: ExecutionStatus; stopping: boolean; testId?: string }) {
  return (
    <span className="execution-status" data-testid={testId}>
      <LastStatusBadge status={status} />
      {stopping ? (
        <Badge tone="warn" icon="⏹">
          Stopping
        </Badge>
      ) : null}
    </span>
  );
}
