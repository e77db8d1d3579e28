// Audit events, newest first: when, who, what, on which target, and (expandable) what changed.
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AuditEventDto } from "@/lib/audit/schemas";
import type { AuditTargetNames } from "@/lib/audit/targets";
import { ChangeTable, hasChanges } from "./change-table";
import { DataTable } from "@/components/ui/data-table";

interface AuditTableProps {
  events: AuditEventDto[];
  targets: AuditTargetNames;
  serverNow: number;
}

export function AuditTable({ events, targets, serverNow }: AuditTableProps) {
  return (
    <DataTable className="audit-table" caption="Audit events, newest first" columns={["When", "Actor", "Action", "Target", "Summary"]}>
      {events.map((event) => (
        <tr key={event.id} data-audit-id={event.id} data-action={event.action}>
          <td className="cell-when">
            <RelativeTime iso={event.at} serverNow={serverNow} />
          </td>
          <td className="cell-actor">{event.actor}</td>
          <td>
            <code>{event.action}</code>
          </td>
          <td className="cell-target">
            <Target event={event} targets={targets} />
          </td>
          <td className="cell-summary">
            {event.summary}
            {hasChanges(event.changes) ? (
              <details className="audit-changes">
                <summary>
                  {Object.keys(event.changes).length === 1 ? "1 field changed" : `${Object.keys(event.changes).length} fields changed`}
                </summary>
                <ChangeTable changes={event.changes} />
              </details>
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Target({ event, targets }: { event: AuditEventDto; targets: AuditTargetNames }) {
  const id = event.targetId;
  if (!id) return <span className="muted">{event.targetType}</span>;
  const jobName = event.targetType === "job" ? targets.jobs[id] : undefined;
  if (jobName !== undefined) {
    return (
      <Link href={`/jobs/${id}`} title={id}>
        {jobName}
      </Link>
    );
  }
  const name = event.targetType === "user" ? targets.users[id] : event.targetType === "token" ? targets.tokens[id] : undefined;
  return (
    <span title={id}>
      <span className="muted">{event.targetType}</span> {name ?? <code className="target-id">{id}</code>}
      {event.targetType === "job" ? <span className="muted small"> (deleted)</span> : null}
    </span>
  );
}
