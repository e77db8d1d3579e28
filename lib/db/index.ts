export { getPrisma, disconnectPrisma, type Db, type Tx } from "./client";
export { Prisma } from "./generated/client";
export { executionFromRow, type ExecutionRow } from "./rows";
export type * from "./generated/client";
