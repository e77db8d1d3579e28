// A list's table: its scrolling frame, a caption for screen readers, the column headings and rows.
import type { ReactNode } from "react";

/** A heading, one only screen readers get (e.g. the row actions' column), or a control (a select-all box). */
export type Column = string | { hidden: string } | { key: string; control: ReactNode };

interface DataTableProps {
  caption: string;
  columns: Column[];
  className: string;
  testId?: string;
  /** The rows: <tr> elements. */
  children: ReactNode;
}

export function DataTable({ caption, columns, className, testId, children }: DataTableProps) {
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === "string" ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : "control" in column ? (
                <th key={column.key} scope="col" className="cell-select">
                  {column.control}
                </th>
              ) : (
                <th key={column.hidden} scope="col">
                  <span className="sr-only">{column.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
