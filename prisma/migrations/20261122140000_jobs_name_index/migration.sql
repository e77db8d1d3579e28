-- The jobs list is ordered by name: page through it without sorting every job.
-- CreateIndex
CREATE INDEX "jobs_name_id_idx" ON "jobs"("name", "id");
