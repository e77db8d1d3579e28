-- A chained run is due when its parent finishes, at any millisecond. Holding a (job, instant) slot
-- it could take the slot of a fire due at that exact instant, and the tick would skip the fire as a
-- duplicate with no trace (the bug 20261201000200 fixed for retries and run-nows). Only fires and
-- backfilled fires hold a slot now.
DROP INDEX "executions_job_id_scheduled_for_key";
CREATE UNIQUE INDEX "executions_job_id_scheduled_for_key" ON "executions"("job_id", "scheduled_for") WHERE "trigger" NOT IN ('manual', 'retry', 'chain');
