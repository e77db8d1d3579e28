// Schedule math. Cron with timezones and DST comes from croner; nothing here is hand-written
// calendar arithmetic beyond adding seconds for intervals.
import { Cron } from "croner";
import type { Schedule } from "./schemas";

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The IANA spelling of a valid timezone ("europe/berlin" -> "Europe/Berlin"). */
export function canonicalTimezone(timezone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: timezone }).resolvedOptions().timeZone;
}

/** A croner pattern with no timer. Throws a readable error for a bad expression. */
export function cronPattern(expression: string, timezone = "UTC"): Cron {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) throw new Error(`Use 5 fields, or 6 with seconds first; got ${fields}`);
  return new Cron(expression, { timezone, mode: "5-or-6-parts", paused: true });
}

export function cronError(expression: string, timezone = "UTC"): string | null {
  try {
    const pattern = cronPattern(expression, timezone);
    if (!pattern.nextRun(new Date())) return "This expression never fires";
    return null;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, "");
  }
}

/** The first fire time strictly after `after`, or null when the schedule never fires again. */
export function nextFireTime(schedule: Schedule, after: Date): Date | null {
  switch (schedule.type) {
    case "cron":
      return cronPattern(schedule.expression, schedule.timezone).nextRun(after);
    case "interval":
      return new Date(after.getTime() + schedule.everySeconds * 1000);
    case "once": {
      const at = new Date(schedule.at);
      return at > after ? at : null;
    }
    case "manual":
      return null;
  }
}

/** The next `count` fire times after `after`, for previews. */
export function upcomingFireTimes(schedule: Schedule, after: Date, count: number): Date[] {
  const times: Date[] = [];
  let cursor = after;
  while (times.length < count) {
    const next = nextFireTime(schedule, cursor);
    if (!next) break;
    times.push(next);
    cursor = next;
  }
  return times;
}

/**
 * The fire times in [from, to), oldest first, at most `limit`. Cron times come from croner;
 * interval times lie on the grid through `anchor` (the job's own fire times), as the tick's do.
 */
export function fireTimesBetween(schedule: Schedule, from: Date, to: Date, limit: number, anchor: Date = from): Date[] {
  const times: Date[] = [];
  switch (schedule.type) {
    case "cron": {
      const pattern = cronPattern(schedule.expression, schedule.timezone);
      for (let next = pattern.nextRun(new Date(from.getTime() - 1)); next && next < to && times.length < limit; next = pattern.nextRun(next)) {
        times.push(next);
      }
      return times;
    }
    case "interval": {
      const step = schedule.everySeconds * 1000;
      const first = Math.ceil((from.getTime() - anchor.getTime()) / step);
      for (let k = first; times.length < limit; k++) {
        const at = new Date(anchor.getTime() + k * step);
        if (at >= to) break;
        times.push(at);
      }
      return times;
    }
    case "once":
    case "manual":
      return [];
  }
}
