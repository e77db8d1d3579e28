-- A claim takes the oldest due QUEUED executions in (scheduled_for, queued_at) order, a few dozen
-- at a time. With only (status, scheduled_for) indexed, PostgreSQL read and sorted every queued
-- row for each claim (23 ms with 20,000 queued, and a plan costly enough to be JIT-compiled each
-- time, 48 ms more); in this order it reads just the rows it locks (0.2 ms).
DROP INDEX "executions_status_scheduled_for_idx";

-- CreateIndex
CREATE INDEX "executions_status_scheduled_for_queued_at_idx" ON "executions"("status", "scheduled_for", "queued_at");
