-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "ScheduleType" AS ENUM ('cron', 'interval', 'once', 'manual');

-- CreateEnum
CREATE TYPE "JobHealth" AS ENUM ('active', 'failed');

-- CreateEnum
CREATE TYPE "OverlapPolicy" AS ENUM ('skip', 'allow', 'queue', 'replace');

-- CreateEnum
CREATE TYPE "MisfirePolicy" AS ENUM ('run_once', 'skip', 'catch_up');

-- CreateEnum
CREATE TYPE "ExecutionStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "ExecutionTrigger" AS ENUM ('schedule', 'manual', 'retry');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT,
    "type" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "schedule_type" "ScheduleType" NOT NULL,
    "cron_expression" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "interval_seconds" INTEGER,
    "run_at" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "health" "JobHealth" NOT NULL DEFAULT 'active',
    "system_key" TEXT,
    "overlap_policy" "OverlapPolicy" NOT NULL DEFAULT 'skip',
    "misfire_policy" "MisfirePolicy" NOT NULL DEFAULT 'run_once',
    "timeout_seconds" INTEGER NOT NULL DEFAULT 3600,
    "max_attempts" INTEGER NOT NULL DEFAULT 1,
    "retry_backoff_seconds" INTEGER NOT NULL DEFAULT 30,
    "pause_after_failures" INTEGER NOT NULL DEFAULT 0,
    "next_run_at" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "last_status" "ExecutionStatus",
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "notes" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "executions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "job_id" UUID,
    "job_version" INTEGER,
    "job_name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" "ExecutionStatus" NOT NULL DEFAULT 'QUEUED',
    "trigger" "ExecutionTrigger" NOT NULL,
    "triggered_by" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "max_attempts" INTEGER NOT NULL DEFAULT 1,
    "retry_backoff_seconds" INTEGER NOT NULL DEFAULT 30,
    "timeout_seconds" INTEGER NOT NULL DEFAULT 3600,
    "retry_of_id" UUID,
    "params" JSONB NOT NULL DEFAULT '{}',
    "scheduled_for" TIMESTAMPTZ(3) NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "queue_delay_ms" INTEGER,
    "progress_percent" INTEGER,
    "progress_message" TEXT,
    "result" JSONB,
    "error_code" TEXT,
    "error_message" TEXT,
    "worker_id" TEXT,
    "cancel_requested_at" TIMESTAMPTZ(3),
    "cancel_requested_by" TEXT,

    CONSTRAINT "executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "summary" TEXT NOT NULL,
    "changes" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_failures" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_failures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduler_instances" (
    "id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_tick_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduler_instances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "jobs_system_key_key" ON "jobs"("system_key");

-- CreateIndex
CREATE INDEX "jobs_next_run_at_idx" ON "jobs"("next_run_at");

-- CreateIndex
CREATE INDEX "jobs_created_at_idx" ON "jobs"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "executions_job_id_scheduled_for_key" ON "executions"("job_id", "scheduled_for");

-- CreateIndex
CREATE INDEX "executions_status_scheduled_for_idx" ON "executions"("status", "scheduled_for");

-- CreateIndex
CREATE INDEX "executions_job_id_queued_at_idx" ON "executions"("job_id", "queued_at" DESC);

-- CreateIndex
CREATE INDEX "executions_queued_at_idx" ON "executions"("queued_at" DESC);

-- CreateIndex
CREATE INDEX "executions_finished_at_idx" ON "executions"("finished_at");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_target_id_at_idx" ON "audit_events"("target_id", "at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_actor_at_idx" ON "audit_events"("actor", "at" DESC);

-- CreateIndex
CREATE INDEX "login_failures_email_address_at_idx" ON "login_failures"("email", "address", "at");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "executions" ADD CONSTRAINT "executions_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Not expressible in schema.prisma: job names are unique among non-deleted jobs, ignoring case.
CREATE UNIQUE INDEX "jobs_name_active_key" ON "jobs"(lower("name")) WHERE "deleted_at" IS NULL;
