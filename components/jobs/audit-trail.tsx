// Who changed or ran the job, and what each change did: a from/to table per event.
import { formatUtc } from "@/components/ui/time-format";
import type { AuditEventDto } from "@/lib/audit/list";

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
              {event.changes && Object.keys(event.changes).length > 0 ? <ChangeTable changes={event.changes} /> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ChangeTable({ changes }: { changes: NonNullable<AuditEventDto["changes"]> }) {
  return (
    <div className="table-wrap">
      <table className="diff-table">
        <caption className="sr-only">Changed fields</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(changes).map(([field, { from, to }]) => (
            <tr key={field}>
              <th scope="row">{field}</th>
              <td><code>{show(from)}</code></td>
              <td><code>{show(to)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const show = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value));
