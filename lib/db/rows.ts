// Executions read with raw SQL (`RETURNING *`) in the shape of Prisma's model, so the engine's hot
// path need not read back, through the ORM, the rows its own statement just wrote. Every column is
// its field's name in snake_case (each @map in schema.prisma says so; tests/integration/db-rows.test.ts
// holds them to it), and a raw query already gives dates, JSON and numbers their types.
import type { Execution } from "./generated/client";

const fieldNames = new Map<string, string>();

function fieldName(column: string): string {
  let name = fieldNames.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    fieldNames.set(column, name);
  }
  return name;
}

/** An `executions` row (all its columns, as `RETURNING *` gives them) as Prisma's Execution. */
export function executionFromRow(row: Record<string, unknown>): Execution {
  const execution: Record<string, unknown> = {};
  for (const column in row) execution[fieldName(column)] = row[column];
  return execution as unknown as Execution;
}

export type ExecutionRow = Record<string, unknown>;
