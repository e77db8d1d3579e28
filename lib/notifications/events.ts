// Which notices the engine's changes make: pure functions of what a completion or a tick just wrote,
// called inside that transaction (see outbox.ts), so no event is noticed twice or lost.
import type { Execution, Job } from "@/lib/db";
import type { Notice } from "./payload";

/**
 * Notices of a completion batch, from the jobs as they were before its bookkeeping and the
 * executions it finished (in the order the bookkeeping applied them): `failed` for a failure with
 * no retry, `recovered` for the first success after such failures, `paused` when the job's health
 * became failed.
 */
export function finishNotices(jobs: Job[], finished: Execution[], retried: Set<string>, rows: { id: string; pause: boolean }[], at = new Date()): Notice[] {
  const notices: Notice[] = [];
  const paused = new Set(rows.filter((row) => row.pause).map((row) => row.id));
  for (const job of jobs) {
    let failures = job.consecutiveFailures;
    let lastFailure: Execution | null = null;
    for (const execution of finished.filter((run) => run.jobId === job.id)) {
      if (execution.status === "FAILED" && !retried.has(execution.id)) {
        failures += 1;
        lastFailure = execution;
        notices.push({ event: "failed", at, job: { ...job, consecutiveFailures: failures }, execution });
      }
      if (execution.status === "SUCCEEDED") {
        if (failures > 0) notices.push({ event: "recovered", at, job: { ...job, consecutiveFailures: 0 }, execution });
        failures = 0;
      }
    }
    if (paused.has(job.id)) notices.push({ event: "paused", at, job: { ...job, health: "failed", consecutiveFailures: failures }, execution: lastFailure });
  }
  return notices;
}

/** A `skipped` notice for every SKIPPED execution a tick inserted (overlap, misfire, paused, maintenance: error.code says which). */
export function skipNotices(jobs: Job[], created: Execution[], at = new Date()): Notice[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  return created
    .filter((execution) => execution.status === "SKIPPED" && execution.jobId && byId.has(execution.jobId))
    .map((execution) => ({ event: "skipped", at, job: byId.get(execution.jobId!)!, execution }));
}
