// The next fire times of a schedule, each with its UTC offset in the zone it is shown in, and the
// offset before it when that differs (a DST switch between two fire times).
import { utcOffset } from "@/components/ui/time-format";
import { upcomingFireTimes } from "@/lib/jobs/schedule";
import type { Schedule } from "@/lib/jobs/schemas";

export interface FireTime {
  at: Date;
  offset: string;
  offsetChangedFrom?: string;
}

export function fireTimes(schedule: Schedule, zone: string | undefined, now: Date, count: number): FireTime[] {
  let previous = utcOffset(now, zone);
  return upcomingFireTimes(schedule, now, count).map((at) => {
    const offset = utcOffset(at, zone);
    const time: FireTime = { at, offset, ...(offset !== previous ? { offsetChangedFrom: previous } : {}) };
    previous = offset;
    return time;
  });
}
