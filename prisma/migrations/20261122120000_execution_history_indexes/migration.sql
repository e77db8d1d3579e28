-- History filtered by status or type, newest first, without scanning the whole table.
-- CreateIndex
CREATE INDEX "executions_status_queued_at_idx" ON "executions"("status", "queued_at" DESC);

-- CreateIndex
CREATE INDEX "executions_type_queued_at_idx" ON "executions"("type", "queued_at" DESC);

-- CreateIndex
CREATE INDEX "executions_retry_of_id_idx" ON "executions"("retry_of_id");
