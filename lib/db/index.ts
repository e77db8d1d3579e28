export { getPrisma, disconnectPrisma, type Db, type Tx } from "./client";
export { Prisma } from "./generated/client";
export type * from "./generated/client";
