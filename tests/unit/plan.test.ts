// planFires: which fire times of a due job run, which are recorded as SKIPPED (overlap, misfire),
// and when the job fires next. Fixed instants, no clock, no database.
import { describe, expect, it } from "vitest";
import { CATCH_UP_LIMIT, planFires, type MisfirePolicy, type OverlapPolicy } from "@/lib/engine/plan";
import type { Schedule } from "@/lib/jobs/schemas";

const GRACE_MS = 60_000;
const at = (iso: string) => new Date(iso);
const times = (plan: { executions: { scheduledFor: Date }[] }) => plan.executions.map((e) => e.scheduledFor.toISOString());

const everyMinute: Schedule = { type: "cron", expression: "* * * * *", timezone: "UTC" };
const everySecond: Schedule = { type: "cron", expression: "* * * * * *", timezone: "UTC" };
const hourly: Schedule = { type: "cron", expression: "0 * * * *", timezone: "UTC" };

function job(
  schedule: Schedule,
  nextRunAt: string,
  { misfirePolicy = "run_once", overlapPolicy = "skip", activeCount = 0 }: { misfirePolicy?: MisfirePolicy; overlapPolicy?: OverlapPolicy; activeCount?: number } = {},
) {
  return { schedule, nextRunAt: at(nextRunAt), misfirePolicy, overlapPolicy, activeCount };
}

describe("planFires: on time", () => {
  it("plans nothing and keeps nextRunAt when the job is not due yet", () => {
    const plan = planFires(job(everyMinute, "2026-03-01T10:01:00.000Z"), at("2026-03-01T10:00:59.999Z"), GRACE_MS);
    expect(plan.executions).toEqual([]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:01:00.000Z");
  });

  it("fires exactly at nextRunAt (the boundary is inclusive)", () => {
    const plan = planFires(job(everyMinute, "2026-03-01T10:01:00.000Z"), at("2026-03-01T10:01:00.000Z"), GRACE_MS);
    expect(plan.executions).toEqual([{ scheduledFor: at("2026-03-01T10:01:00.000Z"), status: "QUEUED" }]);
  });

  it("queues one execution for a due cron job and advances from the fire time, not from now", () => {
    const plan = planFires(job(everyMinute, "2026-03-01T10:00:00.000Z"), at("2026-03-01T10:00:00.750Z"), GRACE_MS);
    expect(plan.executions).toEqual([{ scheduledFor: at("2026-03-01T10:00:00.000Z"), status: "QUEUED" }]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:01:00.000Z");
  });

  it("advances an interval from the fire time, so a late tick causes no drift", () => {
    const schedule: Schedule = { type: "interval", everySeconds: 10 };
    const plan = planFires(job(schedule, "2026-03-01T10:00:00.000Z"), at("2026-03-01T10:00:00.900Z"), GRACE_MS);
    expect(times(plan)).toEqual(["2026-03-01T10:00:00.000Z"]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:00:10.000Z");
  });

  it("follows the cron timezone across a DST change", () => {
    // 09:00 Europe/Berlin: 08:00Z in winter; on 2026-03-29 Berlin moves to CEST, so the next is 07:00Z.
    const schedule: Schedule = { type: "cron", expression: "0 9 * * *", timezone: "Europe/Berlin" };
    const plan = planFires(job(schedule, "2026-03-28T08:00:00.000Z"), at("2026-03-28T08:00:01.000Z"), GRACE_MS);
    expect(times(plan)).toEqual(["2026-03-28T08:00:00.000Z"]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-29T07:00:00.000Z");
  });

  it("sets nextRunAt to null once a one-off job has fired", () => {
    const schedule: Schedule = { type: "once", at: "2026-03-01T10:00:00.000Z" };
    const plan = planFires(job(schedule, "2026-03-01T10:00:00.000Z"), at("2026-03-01T10:00:00.200Z"), GRACE_MS);
    expect(times(plan)).toEqual(["2026-03-01T10:00:00.000Z"]);
    expect(plan.executions[0].status).toBe("QUEUED");
    expect(plan.nextRunAt).toBeNull();
  });

  it("a fire later than now but within the grace period is not a misfire, whatever the policy", () => {
    for (const misfirePolicy of ["run_once", "skip", "catch_up"] as const) {
      const plan = planFires(job(everyMinute, "2026-03-01T10:00:00.000Z", { misfirePolicy }), at("2026-03-01T10:00:45.000Z"), GRACE_MS);
      expect(plan.executions, misfirePolicy).toEqual([{ scheduledFor: at("2026-03-01T10:00:00.000Z"), status: "QUEUED" }]);
      expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:01:00.000Z");
    }
  });
});

describe("planFires: overlap policies", () => {
  const due = "2026-03-01T10:00:00.000Z";
  const now = at("2026-03-01T10:00:00.100Z");

  it("skip: records the due run as SKIPPED with OVERLAP while another is queued or running", () => {
    const plan = planFires(job(everyMinute, due, { overlapPolicy: "skip", activeCount: 1 }), now, GRACE_MS);
    expect(plan.executions).toHaveLength(1);
    expect(plan.executions[0]).toMatchObject({ scheduledFor: at(due), status: "SKIPPED", error: { code: "OVERLAP" } });
    expect(plan.executions[0].error!.message.length).toBeGreaterThan(0);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:01:00.000Z");
  });

  it("skip: queues the due run when nothing else is active", () => {
    const plan = planFires(job(everyMinute, due, { overlapPolicy: "skip", activeCount: 0 }), now, GRACE_MS);
    expect(plan.executions).toEqual([{ scheduledFor: at(due), status: "QUEUED" }]);
  });

  it.each(["allow", "queue", "replace"] as const)("%s: queues the due run even while others are active", (overlapPolicy) => {
    const plan = planFires(job(everyMinute, due, { overlapPolicy, activeCount: 3 }), now, GRACE_MS);
    expect(plan.executions).toEqual([{ scheduledFor: at(due), status: "QUEUED" }]);
  });

  it("replace: of several runs in one tick only the latest is queued, the rest are skipped as replaced", () => {
    const plan = planFires(
      job(everyMinute, "2026-03-01T10:00:00.000Z", { misfirePolicy: "catch_up", overlapPolicy: "replace" }),
      at("2026-03-01T10:03:10.000Z"),
      GRACE_MS,
    );
    expect(times(plan)).toEqual(["2026-03-01T10:00:00.000Z", "2026-03-01T10:01:00.000Z", "2026-03-01T10:02:00.000Z", "2026-03-01T10:03:00.000Z"]);
    expect(plan.executions.map((e) => e.status)).toEqual(["SKIPPED", "SKIPPED", "SKIPPED", "QUEUED"]);
    for (const skipped of plan.executions.slice(0, 3)) expect(skipped.error?.code).toBe("OVERLAP");
  });
});

describe("planFires: misfire policies (a scheduler down for 3 minutes)", () => {
  // nextRunAt 10:00, now 10:03:30: 10:00, 10:01 and 10:02 are past the 60 s grace, 10:03 is not.
  const down = "2026-03-01T10:00:00.000Z";
  const now = at("2026-03-01T10:03:30.000Z");

  it("run_once: one run (the latest fire time), no record of the others, next in the future", () => {
    const plan = planFires(job(everyMinute, down, { misfirePolicy: "run_once" }), now, GRACE_MS);
    expect(plan.executions).toEqual([{ scheduledFor: at("2026-03-01T10:03:00.000Z"), status: "QUEUED" }]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:04:00.000Z");
  });

  it("run_once: one run even when every missed time is past the grace period", () => {
    const plan = planFires(job(hourly, "2026-03-01T07:00:00.000Z", { misfirePolicy: "run_once" }), at("2026-03-01T10:20:00.000Z"), GRACE_MS);
    expect(plan.executions).toEqual([{ scheduledFor: at("2026-03-01T10:00:00.000Z"), status: "QUEUED" }]);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T11:00:00.000Z");
  });

  it("skip: the missed times become one SKIPPED MISFIRE record; the on-time fire still runs", () => {
    const plan = planFires(job(everyMinute, down, { misfirePolicy: "skip" }), now, GRACE_MS);
    expect(plan.executions).toHaveLength(2);
    const [skipped, queued] = plan.executions;
    expect(skipped).toMatchObject({ scheduledFor: at("2026-03-01T10:00:00.000Z"), status: "SKIPPED", error: { code: "MISFIRE" } });
    expect(skipped.error!.message).toContain("3 fire time");
    expect(queued).toEqual({ scheduledFor: at("2026-03-01T10:03:00.000Z"), status: "QUEUED" });
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:04:00.000Z");
  });

  it("skip: nothing runs when every due time is past the grace period", () => {
    const plan = planFires(job(hourly, "2026-03-01T07:00:00.000Z", { misfirePolicy: "skip" }), at("2026-03-01T10:20:00.000Z"), GRACE_MS);
    expect(plan.executions).toHaveLength(1);
    expect(plan.executions[0]).toMatchObject({ status: "SKIPPED", error: { code: "MISFIRE" }, scheduledFor: at("2026-03-01T07:00:00.000Z") });
    expect(plan.executions[0].error!.message).toContain("4 fire time");
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T11:00:00.000Z");
  });

  it("skip: a one-off job missed beyond the grace is recorded as skipped and never fires", () => {
    const schedule: Schedule = { type: "once", at: "2026-03-01T10:00:00.000Z" };
    const plan = planFires(job(schedule, "2026-03-01T10:00:00.000Z", { misfirePolicy: "skip" }), at("2026-03-01T10:05:00.000Z"), GRACE_MS);
    expect(plan.executions).toHaveLength(1);
    expect(plan.executions[0]).toMatchObject({ status: "SKIPPED", error: { code: "MISFIRE" } });
    expect(plan.nextRunAt).toBeNull();
  });

  it("catch_up: every missed time runs", () => {
    const plan = planFires(job(everyMinute, down, { misfirePolicy: "catch_up", overlapPolicy: "allow" }), now, GRACE_MS);
    expect(times(plan)).toEqual(["2026-03-01T10:00:00.000Z", "2026-03-01T10:01:00.000Z", "2026-03-01T10:02:00.000Z", "2026-03-01T10:03:00.000Z"]);
    expect(plan.executions.every((e) => e.status === "QUEUED")).toBe(true);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:04:00.000Z");
  });

  it("catch_up: at most 100 runs (the latest), the older missed times recorded as one SKIPPED MISFIRE", () => {
    // Every second, down for 5 minutes: 301 due times.
    const start = "2026-03-01T10:00:00.000Z";
    const nowAfter5Min = at("2026-03-01T10:05:00.000Z");
    const plan = planFires(job(everySecond, start, { misfirePolicy: "catch_up", overlapPolicy: "allow" }), nowAfter5Min, GRACE_MS);
    const queued = plan.executions.filter((e) => e.status === "QUEUED");
    const skipped = plan.executions.filter((e) => e.status === "SKIPPED");
    expect(CATCH_UP_LIMIT).toBe(100);
    expect(queued).toHaveLength(100);
    expect(queued[0].scheduledFor.toISOString()).toBe("2026-03-01T10:03:21.000Z");
    expect(queued[99].scheduledFor.toISOString()).toBe("2026-03-01T10:05:00.000Z");
    expect(new Set(queued.map((e) => e.scheduledFor.getTime())).size).toBe(100);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ scheduledFor: at(start), error: { code: "MISFIRE" } });
    expect(skipped[0].error!.message).toContain("201");
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T10:05:01.000Z");
  });

  it("catch_up after an outage longer than the count limit runs the latest 100 fire times", () => {
    // Every second for a day: 86,401 due times; the latest 100 end at now.
    const plan = planFires(job(everySecond, "2026-03-01T00:00:00.000Z", { misfirePolicy: "catch_up", overlapPolicy: "allow" }), at("2026-03-02T00:00:00.000Z"), GRACE_MS);
    const queued = plan.executions.filter((e) => e.status === "QUEUED").map((e) => e.scheduledFor.toISOString());
    expect(queued).toHaveLength(CATCH_UP_LIMIT);
    expect(queued.at(-1)).toBe("2026-03-02T00:00:00.000Z");
    expect(queued[0]).toBe("2026-03-01T23:58:21.000Z");
    expect(plan.executions.find((e) => e.status === "SKIPPED")?.error?.message).toContain("more than");
  });

  it("skip after a very long outage still runs the fires within the grace period", () => {
    const plan = planFires(job(everySecond, "2026-03-01T00:00:00.000Z", { misfirePolicy: "skip", overlapPolicy: "allow" }), at("2026-03-02T00:00:00.000Z"), GRACE_MS);
    expect(plan.executions.filter((e) => e.status === "QUEUED")).toHaveLength(61);
    expect(plan.executions.filter((e) => e.status === "SKIPPED")).toHaveLength(1);
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-02T00:00:01.000Z");
  });

  it("a very long outage is bounded: at most 100 runs, one record, nextRunAt the next time after now", () => {
    // Every second for 5 hours: 18,001 due times, more than the planner enumerates (one policy only: it is slow).
    const now5h = at("2026-03-01T15:00:00.400Z");
    const plan = planFires(job(everySecond, "2026-03-01T10:00:00.000Z", { misfirePolicy: "catch_up", overlapPolicy: "allow" }), now5h, GRACE_MS);
    expect(plan.executions.filter((e) => e.status === "QUEUED").length).toBe(CATCH_UP_LIMIT);
    const skipped = plan.executions.filter((e) => e.status === "SKIPPED");
    expect(skipped).toHaveLength(1);
    expect(skipped[0].error?.code).toBe("MISFIRE");
    expect(plan.nextRunAt?.toISOString()).toBe("2026-03-01T15:00:01.000Z");
  });
});
