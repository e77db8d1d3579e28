-- Serverless hosts run the engine inside a request with a time budget; what has not finished when
-- the budget ends is requeued, and a run cut off a second time fails with BUDGET_EXCEEDED.
-- AlterTable
ALTER TABLE "executions" ADD COLUMN "budget_requeues" INTEGER NOT NULL DEFAULT 0;
