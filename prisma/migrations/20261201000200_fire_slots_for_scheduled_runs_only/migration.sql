-- (job_id, scheduled_for) is unique so that a fire time is materialised once however many ticks
-- see it. Only fires hold such a slot: a retry or a run-now that happens to be due at exactly a
-- fire's instant took the slot before, and the tick's insert of the fire was skipped as a duplicate
-- with no trace (found by the chaos run). Runs of other triggers may share any instant.
DROP INDEX "executions_job_id_scheduled_for_key";
CREATE UNIQUE INDEX "executions_job_id_scheduled_for_key" ON "executions"("job_id", "scheduled_for") WHERE "trigger" NOT IN ('manual', 'retry');
