-- Audit events written in the same millisecond keep the order they were written in.
-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_seq_key" ON "audit_events"("seq");
