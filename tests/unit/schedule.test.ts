// Schedule math (lib/jobs/schedule.ts): cron in timezones and across DST, seconds, intervals,
// one-off and manual schedules, and the messages for bad expressions.
import { describe, expect, it } from "vitest";
import { cronError, isValidTimezone, nextFireTime, upcomingFireTimes } from "@/lib/jobs/schedule";
import type { Schedule } from "@/lib/jobs/schemas";

const cron = (expression: string, timezone = "UTC"): Schedule => ({ type: "cron", expression, timezone });
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

/** The calendar date of `date` on the wall clock of `timezone`, as YYYY-MM-DD. */
const localDate = (date: Date, timezone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);

/** Wall-clock time and UTC offset, e.g. "03:00 GMT+2", to say what happened in words. */
const localTime = (date: Date, timezone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(date);

describe("isValidTimezone", () => {
  it.each(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Etc/GMT+2"])("accepts %s", (timezone) => {
    expect(isValidTimezone(timezone)).toBe(true);
  });

  it.each(["Mars/Olympus", "Europe/Atlantis", "", "+02:00", "not a zone"])("refuses %j", (timezone) => {
    expect(isValidTimezone(timezone)).toBe(false);
  });
});

describe("nextFireTime for cron", () => {
  it("returns the first fire time strictly after the given instant", () => {
    const schedule = cron("0 2 * * *");
    expect(nextFireTime(schedule, new Date("2026-01-10T00:00:00Z"))?.toISOString()).toBe("2026-01-10T02:00:00.000Z");
    expect(nextFireTime(schedule, new Date("2026-01-10T01:59:59.999Z"))?.toISOString()).toBe("2026-01-10T02:00:00.000Z");
    // At the fire time itself, the next one is a day later: a tick never fires the same time twice.
    expect(nextFireTime(schedule, new Date("2026-01-10T02:00:00Z"))?.toISOString()).toBe("2026-01-11T02:00:00.000Z");
  });

  it("reads the expression on the job's wall clock", () => {
    const nineInBerlin = cron("0 9 * * *", "Europe/Berlin");
    expect(nextFireTime(nineInBerlin, new Date("2026-01-15T00:00:00Z"))?.toISOString()).toBe("2026-01-15T08:00:00.000Z"); // CET, +1
    expect(nextFireTime(nineInBerlin, new Date("2026-07-15T00:00:00Z"))?.toISOString()).toBe("2026-07-15T07:00:00.000Z"); // CEST, +2
    const nineInNewYork = cron("0 9 * * *", "America/New_York");
    expect(nextFireTime(nineInNewYork, new Date("2026-01-15T00:00:00Z"))?.toISOString()).toBe("2026-01-15T14:00:00.000Z");
    const halfPastInKolkata = cron("0 9 * * *", "Asia/Kolkata");
    expect(nextFireTime(halfPastInKolkata, new Date("2026-01-15T00:00:00Z"))?.toISOString()).toBe("2026-01-15T03:30:00.000Z");
  });

  it("honours day-of-week and day-of-month fields in the job's timezone", () => {
    // 23:30 on Friday in New York is already Saturday in UTC.
    const fridayNight = cron("30 23 * * FRI", "America/New_York");
    expect(iso(upcomingFireTimes(fridayNight, new Date("2026-01-01T00:00:00Z"), 2))).toEqual([
      "2026-01-03T04:30:00.000Z",
      "2026-01-10T04:30:00.000Z",
    ]);
    const lastOfMonth = cron("0 12 L * *");
    expect(iso(upcomingFireTimes(lastOfMonth, new Date("2026-01-31T13:00:00Z"), 2))).toEqual([
      "2026-02-28T12:00:00.000Z",
      "2026-03-31T12:00:00.000Z",
    ]);
  });

  it("takes 6 fields as seconds first", () => {
    expect(iso(upcomingFireTimes(cron("*/10 * * * * *"), new Date("2026-01-10T12:00:00Z"), 3))).toEqual([
      "2026-01-10T12:00:10.000Z",
      "2026-01-10T12:00:20.000Z",
      "2026-01-10T12:00:30.000Z",
    ]);
    expect(nextFireTime(cron("30 0 2 * * *", "Europe/Berlin"), new Date("2026-01-10T00:00:00Z"))?.toISOString()).toBe(
      "2026-01-10T01:00:30.000Z",
    );
  });
});

describe("cron across daylight saving time in Europe/Berlin", () => {
  const BERLIN = "Europe/Berlin";
  const firesOn = (times: Date[], day: string) => times.filter((time) => localDate(time, BERLIN) === day);

  // 2026-03-29: clocks go from 02:00 CET straight to 03:00 CEST, so 02:30 does not exist.
  it("fires a 02:30 job once on the spring-forward day, at 03:00 CEST, the end of the gap", () => {
    const times = upcomingFireTimes(cron("30 2 * * *", BERLIN), new Date("2026-03-27T12:00:00Z"), 3);
    expect(iso(times)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:00:00.000Z", // 03:00 CEST: croner runs a fixed-time job at the first valid time after the gap
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
    ]);
    expect(firesOn(times, "2026-03-29")).toHaveLength(1);
    expect(localTime(times[1], BERLIN)).toBe("03:00 CEST");
    expect(localTime(times[2], BERLIN)).toBe("02:30 CEST");
  });

  // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET, so 02:30 happens twice.
  it("fires a 02:30 job once on the fall-back day, at the first 02:30 (CEST)", () => {
    const times = upcomingFireTimes(cron("30 2 * * *", BERLIN), new Date("2026-10-23T12:00:00Z"), 3);
    expect(iso(times)).toEqual([
      "2026-10-24T00:30:00.000Z", // 02:30 CEST
      "2026-10-25T00:30:00.000Z", // the first 02:30, still CEST; the second (01:30Z, CET) is skipped
      "2026-10-26T01:30:00.000Z", // 02:30 CET
    ]);
    expect(firesOn(times, "2026-10-25")).toHaveLength(1);
    expect(localTime(times[1], BERLIN)).toBe("02:30 CEST");
  });

  it("does not fire the 02:30 job again when asked from between the two 02:30s", () => {
    // A scheduler that fired at the first 02:30 asks again from there, or from just before the second.
    const schedule = cron("30 2 * * *", BERLIN);
    expect(nextFireTime(schedule, new Date("2026-10-25T00:30:00Z"))?.toISOString()).toBe("2026-10-26T01:30:00.000Z");
    expect(nextFireTime(schedule, new Date("2026-10-25T01:29:00Z"))?.toISOString()).toBe("2026-10-26T01:30:00.000Z");
  });

  it("treats the same rule with seconds the same way", () => {
    const schedule = cron("0 30 2 * * *", BERLIN);
    expect(nextFireTime(schedule, new Date("2026-03-28T12:00:00Z"))?.toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(nextFireTime(schedule, new Date("2026-10-24T12:00:00Z"))?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("fires an hourly job every real hour: no 02:00 in spring, two in autumn", () => {
    const hourly = cron("0 * * * *", BERLIN);
    // Spring: 01:00 CET, then 03:00 CEST; 02:00 never happens.
    expect(iso(upcomingFireTimes(hourly, new Date("2026-03-28T23:30:00Z"), 3))).toEqual([
      "2026-03-29T00:00:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-29T02:00:00.000Z",
    ]);
    // Autumn: 02:00 CEST and 02:00 CET both fire, one real hour apart.
    expect(iso(upcomingFireTimes(hourly, new Date("2026-10-24T23:30:00Z"), 3))).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T02:00:00.000Z",
    ]);
  });

  it("skips a stepped job's times in the gap and runs them on both passes of the repeated hour", () => {
    // Croner follows Vixie cron: a wildcard, step, range or list in seconds, minutes or hours makes
    // an "interval job", which skips times that do not exist and runs times that happen twice twice.
    const quarterly = cron("*/15 2 * * *", BERLIN);
    const spring = upcomingFireTimes(quarterly, new Date("2026-03-28T12:00:00Z"), 1);
    expect(iso(spring)).toEqual(["2026-03-30T00:00:00.000Z"]); // nothing on 2026-03-29
    const autumn = upcomingFireTimes(quarterly, new Date("2026-10-24T12:00:00Z"), 9);
    expect(firesOn(autumn, "2026-10-25")).toHaveLength(8);
    expect(autumn[8].toISOString()).toBe("2026-10-26T01:00:00.000Z");
  });
});

describe("cronError", () => {
  it.each(["0 2 * * *", "*/5 * * * *", "0 9 * * MON-FRI", "0 0 L * *", "0 0 29 2 *", "30 0 2 * * *", "*/10 * * * * *"])(
    "accepts %j",
    (expression) => {
      expect(cronError(expression)).toBeNull();
      expect(cronError(expression, "Europe/Berlin")).toBeNull();
    },
  );

  it.each([
    ["* * * *", "Use 5 fields, or 6 with seconds first; got 4"],
    ["0 0 1 1 * 2027 *", "Use 5 fields, or 6 with seconds first; got 7"],
    ["", "Use 5 fields, or 6 with seconds first; got 1"],
    ["@daily", "Use 5 fields, or 6 with seconds first; got 1"],
  ])("refuses %j by its number of fields", (expression, message) => {
    expect(cronError(expression)).toBe(message);
  });

  it.each([
    ["60 * * * *", /minute/],
    ["* 24 * * *", /hour/],
    ["* * 32 * *", /day/],
    ["* * 0 * *", /day/],
    ["* * * 13 *", /month/],
    ["* * * * 8", /dayOfWeek/],
    ["61 * * * * *", /second/],
    ["1-70 * * * *", /minute/],
    ["*/0 * * * *", /stepping/],
    ["5-1 * * * *", /larger/],
    ["a b c d e", /illegal characters/],
  ])("refuses %j, out of range or malformed", (expression, pattern) => {
    const message = cronError(expression);
    expect(message).toMatch(pattern);
    expect(message).not.toMatch(/^CronPattern:/);
  });

  it("refuses an expression that can never fire", () => {
    expect(cronError("0 0 30 2 *")).toBe("This expression never fires");
    expect(cronError("0 0 31 4 *")).toBe("This expression never fires");
  });
});

describe("nextFireTime and upcomingFireTimes for the other schedules", () => {
  const after = new Date("2026-05-01T10:00:00.250Z");

  it("adds the interval to the given instant, to the millisecond, without drift", () => {
    expect(nextFireTime({ type: "interval", everySeconds: 90 }, after)?.toISOString()).toBe("2026-05-01T10:01:30.250Z");
    expect(iso(upcomingFireTimes({ type: "interval", everySeconds: 3600 }, after, 3))).toEqual([
      "2026-05-01T11:00:00.250Z",
      "2026-05-01T12:00:00.250Z",
      "2026-05-01T13:00:00.250Z",
    ]);
  });

  it("counts intervals in real seconds, not wall-clock hours, across DST", () => {
    // Interval schedules have no timezone: a day is 86,400 s even on a 23-hour local day.
    const daily = { type: "interval", everySeconds: 86_400 } as const;
    expect(nextFireTime(daily, new Date("2026-03-28T12:00:00Z"))?.toISOString()).toBe("2026-03-29T12:00:00.000Z");
  });

  it("fires a one-off schedule once, if it is still ahead", () => {
    const once = { type: "once", at: "2026-12-01T09:00:00+02:00" } as const;
    expect(nextFireTime(once, after)?.toISOString()).toBe("2026-12-01T07:00:00.000Z");
    expect(iso(upcomingFireTimes(once, after, 5))).toEqual(["2026-12-01T07:00:00.000Z"]);
    expect(nextFireTime(once, new Date("2026-12-01T07:00:00Z"))).toBeNull(); // strictly after
    expect(nextFireTime(once, new Date("2027-01-01T00:00:00Z"))).toBeNull();
    expect(upcomingFireTimes(once, new Date("2027-01-01T00:00:00Z"), 5)).toEqual([]);
  });

  it("never fires a manual schedule", () => {
    expect(nextFireTime({ type: "manual" }, after)).toBeNull();
    expect(upcomingFireTimes({ type: "manual" }, after, 5)).toEqual([]);
  });

  it("returns as many upcoming times as asked, in order", () => {
    const times = upcomingFireTimes(cron("0 */6 * * *"), new Date("2026-05-01T00:00:00Z"), 5);
    expect(iso(times)).toEqual([
      "2026-05-01T06:00:00.000Z",
      "2026-05-01T12:00:00.000Z",
      "2026-05-01T18:00:00.000Z",
      "2026-05-02T00:00:00.000Z",
      "2026-05-02T06:00:00.000Z",
    ]);
    expect(upcomingFireTimes(cron("0 */6 * * *"), new Date("2026-05-01T00:00:00Z"), 0)).toEqual([]);
  });
});
