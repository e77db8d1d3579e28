// What a due job should produce at a tick: which fire times run, which are recorded as skipped,
// and when it fires next. Pure, so the misfire and overlap rules are unit-tested without a clock.
import { nextFireTime } from "@/lib/jobs/schedule";
import type { Schedule } from "@/lib/jobs/schemas";

export const CATCH_UP_LIMIT = 100;
/** Enumerating missed times stops here; a job that missed more just reports "at least" this many. */
const ENUMERATION_LIMIT = 10_000;

export type MisfirePolicy = "run_once" | "skip" | "catch_up";
export type OverlapPolicy = "skip" | "allow" | "queue" | "replace";

export interface PlannedExecution {
  scheduledFor: Date;
  status: "QUEUED" | "SKIPPED";
  error?: { code: "OVERLAP" | "MISFIRE"; message: string };
}

export interface FirePlan {
  executions: PlannedExecution[];
  nextRunAt: Date | null;
}

interface DueJob {
  schedule: Schedule;
  nextRunAt: Date;
  misfirePolicy: MisfirePolicy;
  overlapPolicy: OverlapPolicy;
  /** QUEUED or RUNNING executions of the job right now. */
  activeCount: number;
}

function dueTimes(schedule: Schedule, first: Date, now: Date): { times: Date[]; truncated: boolean } {
  const times: Date[] = [];
  let cursor: Date | null = first;
  while (cursor && cursor <= now) {
    if (times.length === ENUMERATION_LIMIT) return { times, truncated: true };
    times.push(cursor);
    cursor = nextFireTime(schedule, cursor);
  }
  return { times, truncated: false };
}

const iso = (date: Date) => date.toISOString();

function skipped(scheduledFor: Date, code: "OVERLAP" | "MISFIRE", message: string): PlannedExecution {
  return { scheduledFor, status: "SKIPPED", error: { code, message } };
}

/** Applies the misfire policy to the due times: the ones to run, and a skipped record for the rest. */
function applyMisfire(job: DueJob, times: Date[], truncated: boolean, now: Date, graceMs: number) {
  const missed = times.filter((time) => now.getTime() - time.getTime() > graceMs);
  if (missed.length === 0) return { run: times, skippedRecord: null };
  const count = `${missed.length}${truncated ? "+" : ""}`;
  const span = `between ${iso(missed[0])} and ${iso(missed[missed.length - 1])}`;
  switch (job.misfirePolicy) {
    case "run_once":
      return { run: [times[times.length - 1]], skippedRecord: null };
    case "skip":
      return {
        run: times.filter((time) => !missed.includes(time)),
        skippedRecord: skipped(missed[0], "MISFIRE", `Missed ${count} fire time(s) ${span} while no scheduler ran`),
      };
    case "catch_up": {
      if (times.length <= CATCH_UP_LIMIT) return { run: times, skippedRecord: null };
      const dropped = times.length - CATCH_UP_LIMIT;
      return {
        run: times.slice(-CATCH_UP_LIMIT),
        skippedRecord: skipped(times[0], "MISFIRE", `Caught up the latest ${CATCH_UP_LIMIT}; ${dropped}${truncated ? "+" : ""} older missed fire time(s) ${span} were not run`),
      };
    }
  }
}

/** Applies the overlap policy to the runs, given how many executions of the job are active. */
function applyOverlap(job: DueJob, run: Date[]): PlannedExecution[] {
  switch (job.overlapPolicy) {
    case "allow":
    case "queue":
      return run.map((scheduledFor) => ({ scheduledFor, status: "QUEUED" }));
    case "replace":
      return run.map((scheduledFor, index) =>
        index === run.length - 1
          ? { scheduledFor, status: "QUEUED" }
          : skipped(scheduledFor, "OVERLAP", "Replaced by a later fire time in the same tick"),
      );
    case "skip": {
      let active = job.activeCount;
      return run.map((scheduledFor) => {
        if (active > 0) return skipped(scheduledFor, "OVERLAP", "An earlier execution of this job was still queued or running");
        active += 1;
        return { scheduledFor, status: "QUEUED" };
      });
    }
  }
}

export function planFires(job: DueJob, now: Date, graceMs: number): FirePlan {
  const { times, truncated } = dueTimes(job.schedule, job.nextRunAt, now);
  if (times.length === 0) return { executions: [], nextRunAt: job.nextRunAt };
  const { run, skippedRecord } = applyMisfire(job, times, truncated, now, graceMs);
  const executions = [...(skippedRecord ? [skippedRecord] : []), ...applyOverlap(job, run)];
  // Advance from the last fire time, not from now, so intervals do not drift.
  const fromLast = nextFireTime(job.schedule, times[times.length - 1]);
  const nextRunAt = fromLast && fromLast <= now ? nextFireTime(job.schedule, now) : fromLast;
  return { executions, nextRunAt };
}
