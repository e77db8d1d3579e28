-- Control many runs at once: pause-until and chains on jobs, the parent of a chained run, the
-- backfill and chain triggers, and the scheduler-wide maintenance window (one row at most).
-- AlterEnum (the new values are not used in this migration, so one transaction is fine)
ALTER TYPE "ExecutionTrigger" ADD VALUE 'backfill';
ALTER TYPE "ExecutionTrigger" ADD VALUE 'chain';

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "paused_until" TIMESTAMPTZ(3),
ADD COLUMN "on_success" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
ADD COLUMN "on_failure" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];

-- AlterTable
ALTER TABLE "executions" ADD COLUMN "parent_execution_id" UUID;

-- CreateIndex: the runs a finished run triggered (the details modal's "children").
CREATE INDEX "executions_parent_execution_id_idx" ON "executions"("parent_execution_id");

-- CreateTable
CREATE TABLE "maintenance_windows" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "set_by" TEXT NOT NULL,
    "set_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "maintenance_windows_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "maintenance_windows_one_row" CHECK ("id" = 1)
);
