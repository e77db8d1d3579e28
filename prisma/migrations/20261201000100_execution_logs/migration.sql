-- Run logs: what a handler logged (and a command printed), per execution, in order. Written in
-- batches by the worker; deleted with their execution (retention deletes executions).
-- CreateEnum
CREATE TYPE "LogLevel" AS ENUM ('info', 'warn', 'error', 'stdout', 'stderr');

-- CreateTable
CREATE TABLE "execution_logs" (
    "execution_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "level" "LogLevel" NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "execution_logs_pkey" PRIMARY KEY ("execution_id","seq")
);

-- AddForeignKey
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "executions" ADD COLUMN "log_truncated" BOOLEAN NOT NULL DEFAULT false;
