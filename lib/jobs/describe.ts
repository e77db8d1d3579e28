// Schedules in words, for people: "At 02:00 AM, every day (Europe/Berlin)".
import cronstrue from "cronstrue";
import type { JobDto } from "./schemas";

export function describeSchedule(schedule: JobDto["schedule"]): string {
  switch (schedule.type) {
    case "cron":
      try {
        return `${cronstrue.toString(schedule.expression, { use24HourTimeFormat: true, verbose: true })} (${schedule.timezone})`;
      } catch {
        return `${schedule.expression} (${schedule.timezone})`;
      }
    case "interval":
      return `Every ${formatSeconds(schedule.everySeconds)}`;
    case "once":
      return `Once at ${schedule.at.replace("T", " ").slice(0, 16)} UTC`;
    case "manual":
      return "Manual only";
  }
}

function formatSeconds(total: number): string {
  const units: [number, string][] = [[86_400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  for (const [size, name] of units) {
    if (total % size === 0) {
      const count = total / size;
      return count === 1 ? name : `${count} ${name}s`;
    }
  }
  return `${total} seconds`;
}
