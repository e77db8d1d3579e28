// What one audit event changed: a field / from / to table.
import type { AuditEventDto } from "@/lib/audit/schemas";

export type Changes = NonNullable<AuditEventDto["changes"]>;

export const hasChanges = (changes: AuditEventDto["changes"]): changes is Changes => Boolean(changes && Object.keys(changes).length > 0);

export function ChangeTable({ changes }: { changes: Changes }) {
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
