export { getPrisma, disconnectPrisma, queryRows, type Db, type Tx } from "./client";
export { Prisma } from "./generated/client";
export { executionColumns, JOB_COLUMNS } from "./rows";
export type * from "./generated/client";
