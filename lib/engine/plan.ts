// What a due job should produce at a tick: which fire times run, which are recorded as skipped,
// and when it fires next. Pure, so the misfire and overlap rules are unit-tested without a clock.
// The work is bounded however long the scheduler was down: missed times are counted up to
// COUNT_LIMIT, and catch_up looks back from now for the latest ones instead of walking forward.
// Fires held back by a pause or a maintenance window are recorded SKIPPED, one row per hold per
// tick (like a misfire), so history has no silent gap.
import type { Cron } from "croner";
import { cronPattern } from "@/lib/jobs/schedule";
import type { Schedule } from "@/lib/jobs/schemas";

export const CATCH_UP_LIMIT = 100;
/** Missed fire times are counted exactly up to this many; past it the record says "more than". */
export const COUNT_LIMIT = 1000;

export type MisfirePolicy = "run_once" | "skip" | "catch_up";
export type OverlapPolicy = "skip" | "allow" | "queue" | "replace";

type SkipCode = "OVERLAP" | "MISFIRE" | "PAUSED" | "MAINTENANCE";

export interface PlannedExecution {
  scheduledFor: Date;
  status: "QUEUED" | "SKIPPED";
  error?: { code: SkipCode; message: string };
}

/** Fire times before `until` do not run: the job is paused, or the scheduler is in maintenance. */
export interface Hold {
  code: "PAUSED" | "MAINTENANCE";
  until: Date;
  /** Why, for the SKIPPED row, e.g. "Maintenance until …: database upgrade". */
  message: string;
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
  /** In force at this tick, the first one that covers a fire time wins. */
  holds?: Hold[];
}

/** Steps through a schedule's fire times; intervals count from `anchor`, the job's nextRunAt. */
interface Stepper {
  next(after: Date): Date | null;
  /** Up to `count` fire times in [notBefore, before), oldest first. */
  latestBefore(before: Date, count: number, notBefore: Date): Date[];
}

function stepperFor(schedule: Schedule, anchor: Date): Stepper {
  switch (schedule.type) {
    case "cron": {
      const pattern: Cron = cronPattern(schedule.expression, schedule.timezone);
      return {
        next: (after) => pattern.nextRun(after),
        latestBefore: (before, count, notBefore) =>
          pattern.previousRuns(count, before).filter((time) => time >= notBefore && time < before).reverse(),
      };
    }
    case "interval": {
      const step = schedule.everySeconds * 1000;
      const at = (k: number) => new Date(anchor.getTime() + k * step);
      return {
        next: (after) => at(Math.max(0, Math.floor((after.getTime() - anchor.getTime()) / step) + 1)),
        latestBefore: (before, count, notBefore) => {
          const last = Math.ceil((before.getTime() - anchor.getTime()) / step) - 1;
          const times: Date[] = [];
          for (let k = Math.max(0, last - count + 1); k <= last; k++) if (at(k) >= notBefore) times.push(at(k));
          return times;
        },
      };
    }
    case "once": {
      const at = new Date(schedule.at);
      return {
        next: (after) => (at > after ? at : null),
        latestBefore: (before, _count, notBefore) => (at < before && at >= notBefore ? [at] : []),
      };
    }
    case "manual":
      return { next: () => null, latestBefore: () => [] };
  }
}

/** Fire times from `from` while `before(time)`, at most `limit`. */
function walk(stepper: Stepper, from: Date | null, before: (time: Date) => boolean, limit: number) {
  const times: Date[] = [];
  let cursor = from;
  while (cursor && before(cursor) && times.length < limit) {
    times.push(cursor);
    cursor = stepper.next(cursor);
  }
  return { times, cursor };
}

const iso = (date: Date) => date.toISOString();

function skipped(scheduledFor: Date, code: SkipCode, message: string): PlannedExecution {
  return { scheduledFor, status: "SKIPPED", error: { code, message } };
}

interface DueTimes {
  /** Missed times, counted up to COUNT_LIMIT (then `missedMore`). */
  missed: Date[];
  missedMore: boolean;
  /** Due times within the grace period, on time. */
  onTime: Date[];
}

function dueTimes(stepper: Stepper, first: Date, now: Date, graceStart: Date): DueTimes {
  const missedWalk = walk(stepper, first, (time) => time < graceStart, COUNT_LIMIT + 1);
  const missedMore = missedWalk.times.length > COUNT_LIMIT;
  const missed = missedWalk.times.slice(0, COUNT_LIMIT);
  const onTimeStart = missedMore ? stepper.next(new Date(graceStart.getTime() - 1)) : missedWalk.cursor;
  const onTime = walk(stepper, onTimeStart, (time) => time <= now, COUNT_LIMIT).times;
  return { missed, missedMore, onTime };
}

/** Applies the misfire policy: the times to run, and a skipped record for the ones that will not. */
function applyMisfire(job: DueJob, stepper: Stepper, due: DueTimes, graceStart: Date) {
  const { missed, missedMore, onTime } = due;
  if (missed.length === 0) return { run: onTime, record: null };
  const count = missedMore ? `more than ${COUNT_LIMIT}` : String(missed.length);
  const span = `from ${iso(missed[0])}`;
  switch (job.misfirePolicy) {
    case "run_once": {
      const latest = onTime.at(-1) ?? (missedMore ? stepper.latestBefore(graceStart, 1, missed[0]) : missed).at(-1)!;
      return { run: [latest], record: null };
    }
    case "skip":
      return { run: onTime, record: skipped(missed[0], "MISFIRE", `Missed ${count} fire time(s) ${span} while no scheduler ran`) };
    case "catch_up": {
      const latestMissed = missedMore ? stepper.latestBefore(graceStart, CATCH_UP_LIMIT, missed[0]) : missed;
      const all = [...latestMissed, ...onTime];
      if (!missedMore && all.length <= CATCH_UP_LIMIT) return { run: all, record: null };
      const dropped = missedMore ? `more than ${COUNT_LIMIT - CATCH_UP_LIMIT}` : String(all.length - CATCH_UP_LIMIT);
      return {
        run: all.slice(-CATCH_UP_LIMIT),
        record: skipped(missed[0], "MISFIRE", `Caught up the latest ${CATCH_UP_LIMIT}; ${dropped} older missed fire time(s) ${span} were not run`),
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

/**
 * Takes the held fire times out of the runs: each hold's times become one SKIPPED row (at the
 * first of them) that says how many there were, so an every-minute job paused for a day through
 * a scheduler outage is one row per tick, not 1,440, and an on-time fire is a row of its own.
 */
function applyHolds(holds: Hold[], run: Date[]): { free: Date[]; records: PlannedExecution[] } {
  const held = new Map<Hold, Date[]>();
  const free: Date[] = [];
  for (const time of run) {
    const hold = holds.find((candidate) => time < candidate.until);
    if (hold) held.set(hold, [...(held.get(hold) ?? []), time]);
    else free.push(time);
  }
  const records = [...held].map(([hold, times]) =>
    skipped(times[0], hold.code, times.length === 1 ? hold.message : `${hold.message} (${times.length} fire times from ${iso(times[0])} to ${iso(times.at(-1)!)})`),
  );
  return { free, records };
}

export function planFires(job: DueJob, now: Date, graceMs: number): FirePlan {
  if (job.nextRunAt > now) return { executions: [], nextRunAt: job.nextRunAt };
  const stepper = stepperFor(job.schedule, job.nextRunAt);
  const graceStart = new Date(now.getTime() - graceMs);
  const due = dueTimes(stepper, job.nextRunAt, now, graceStart);
  const { run, record } = applyMisfire(job, stepper, due, graceStart);
  const { free, records } = applyHolds(job.holds ?? [], run);
  const executions = [...(record ? [record] : []), ...records, ...applyOverlap(job, free)];
  // Advance from the last fire time, not from now, so intervals do not drift.
  const lastDue = due.onTime.at(-1) ?? (due.missedMore ? null : due.missed.at(-1));
  const fromLast = lastDue ? stepper.next(lastDue) : null;
  const nextRunAt = fromLast && fromLast > now ? fromLast : stepper.next(now);
  return { executions, nextRunAt };
}
