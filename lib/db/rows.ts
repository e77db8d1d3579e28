// Raw SQL that reads rows in the shape of Prisma's models, every column under its field's name, for
// the statements the ORM cannot write (a page with its total) or that would otherwise read back
// through the ORM what they just wrote (the engine's claim and completion: UPDATE ... RETURNING).
// Each @map in schema.prisma is its field's name in snake_case (tests/integration/db-rows.test.ts
// holds them to it), and a raw query already gives dates, JSON and numbers their types.
import { Prisma } from "./generated/client";

const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** `t.job_id AS "jobId", …` for every scalar field of a model: a row read with these is the model's object. */
function columnsOf(fields: Record<string, string>, table?: string): Prisma.Sql {
  const prefix = table ? `${table}.` : "";
  return Prisma.raw(Object.values(fields).map((field) => `${prefix}${columnOf(field)} AS "${field}"`).join(", "));
}

/** Every column of jobs, as a Job's fields. */
export const JOB_COLUMNS = columnsOf(Prisma.JobScalarFieldEnum);

/** Every column of executions (of `table`, its alias in the statement), as an Execution's fields. */
export const executionColumns = (table?: string) => columnsOf(Prisma.ExecutionScalarFieldEnum, table);
