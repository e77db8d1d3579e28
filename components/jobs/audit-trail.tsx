// Who changed or ran the job, and what each change did: a from/to table per event.
import { ChangeTable, hasChanges } from "@/components/audit/change-table";
import { formatUtc } from "@/components/ui/time-format";
import type { AuditEventDto } from "@/lib/audit/schemas";

export function AuditTrail({ events }: { events: AuditEventDto[] }) {
  return (
    <section aria-labelledby="audit-title" className="detail-section" data-testid="audit-trail">
      <h2 id="audit-title">Audit trail</h2>
      {events.length === 0 ? (
        <p className="muted">No recorded changes.</p>
      ) : (
        <ol className="audit-list">
          {events.map((event) => (
            <li key={event.id} className="audit-event" data-action={event.action}>
              <p>
                <code>{event.action}</code> by <strong>{event.actor}</strong>{" "}
                <time dateTime={event.at} className="muted small">{formatUtc(new Date(event.at))}</time>
              </p>
              <p>{event.summary}</p>
              {hasChanges(event.changes) ? <ChangeTable changes={event.changes} /> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
