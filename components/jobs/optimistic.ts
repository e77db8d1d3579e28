// What the jobs table shows while a change is on its way to the server. useOptimistic drops these
// when the action's transition ends: by then the revalidated page carries the real rows.
import type { JobDto } from "@/lib/jobs/schemas";

export type JobRow = JobDto & { pending?: "creating" | "saving" | "deleting" };

export type OptimisticChange =
  | { kind: "add"; row: JobRow }
  | { kind: "patch"; id: string; changes: Partial<JobDto> }
  | { kind: "remove"; id: string };

export function applyOptimistic(rows: JobRow[], change: OptimisticChange): JobRow[] {
  switch (change.kind) {
    case "add": {
      const index = rows.findIndex((row) => row.name.localeCompare(change.row.name) > 0);
      return index === -1 ? [...rows, change.row] : [...rows.slice(0, index), change.row, ...rows.slice(index)];
    }
    case "patch":
      return rows.map((row) => (row.id === change.id ? { ...row, ...change.changes, pending: "saving" } : row));
    case "remove":
      return rows.filter((row) => row.id !== change.id);
  }
}
