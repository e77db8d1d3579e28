// A schedule's raw form beside its words, e.g. "0 2 * * *" under "At 02:00, every day".
import type { JobDto } from "@/lib/jobs/schemas";

export function rawSchedule(schedule: JobDto["schedule"]): string | null {
  switch (schedule.type) {
    case "cron":
      return schedule.expression;
    case "interval":
      return `every ${schedule.everySeconds} s`;
    case "once":
      return schedule.at;
    case "manual":
      return null;
  }
}
