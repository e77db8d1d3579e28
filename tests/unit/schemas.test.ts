// Job schemas (lib/jobs/schemas.ts), the one source of validation for API, actions and forms, and
// describeSchedule, which puts a schedule into words for the console.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { describeSchedule } from "@/lib/jobs/describe";
import {
  JobInput,
  JobListQuery,
  JobPatch,
  JobReplace,
  MAX_PARAMS_BYTES,
  ScheduleInput,
  VersionBody,
} from "@/lib/jobs/schemas";

const valid = {
  name: "Nightly backup",
  type: "demo.sleep",
  schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
};

/** The issues of a failed parse as "path: message", for readable expectations. */
function issues(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  expect(result.success, "expected the input to be refused").toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("JobInput", () => {
  it("accepts the smallest job and trims names, types and expressions", () => {
    const parsed = JobInput.parse({
      name: "  Nightly backup ",
      type: " demo.sleep ",
      schedule: { type: "cron", expression: "  0 2 * * * " },
    });
    expect(parsed).toEqual({
      name: "Nightly backup",
      type: "demo.sleep",
      schedule: { type: "cron", expression: "0 2 * * *", timezone: "UTC" },
    });
  });

  it("leaves defaults to the service, so PATCH can derive from it", () => {
    const parsed = JobInput.parse(valid);
    for (const key of ["enabled", "params", "overlapPolicy", "misfirePolicy", "timeoutSeconds", "maxAttempts"]) {
      expect(parsed).not.toHaveProperty(key);
    }
  });

  it("accepts every editable field", () => {
    const full = {
      ...valid,
      description: "Dumps the database",
      params: { durationMs: 10, nested: { ok: true } },
      enabled: false,
      overlapPolicy: "queue",
      misfirePolicy: "catch_up",
      timeoutSeconds: 7 * 86_400,
      maxAttempts: 25,
      retryBackoffSeconds: 86_400,
      pauseAfterFailures: 0,
      notes: null,
    };
    expect(JobInput.parse(full)).toEqual(full);
  });

  it("refuses unknown fields, at the top and inside the schedule", () => {
    expect(issues(JobInput, { ...valid, nextRunAt: "2026-01-01T00:00:00Z" })).toEqual([': Unrecognized key: "nextRunAt"']);
    expect(issues(JobInput, { ...valid, schedule: { ...valid.schedule, everySeconds: 60 } })).toEqual([
      'schedule: Unrecognized key: "everySeconds"',
    ]);
    expect(issues(JobInput, { ...valid, schedule: { type: "manual", expression: "0 2 * * *" } })).toEqual([
      'schedule: Unrecognized key: "expression"',
    ]);
  });

  it("requires a name, a type and a schedule", () => {
    expect(issues(JobInput, { ...valid, name: "   " })).toEqual(["name: Name is required"]);
    const missing = issues(JobInput, { params: {} });
    expect(missing.map((line) => line.split(":")[0])).toEqual(["name", "type", "schedule"]);
  });

  it.each([
    ["name", "x".repeat(201)],
    ["description", "x".repeat(1001)],
    ["type", ""],
    ["enabled", "true"],
    ["overlapPolicy", "sometimes"],
    ["misfirePolicy", "run_twice"],
    ["timeoutSeconds", 0],
    ["timeoutSeconds", 7 * 86_400 + 1],
    ["timeoutSeconds", 1.5],
    ["maxAttempts", 26],
    ["retryBackoffSeconds", 0],
    ["pauseAfterFailures", -1],
    ["notes", "x".repeat(1001)],
    ["params", [1, 2]],
    ["params", "{}"],
  ])("refuses %s = %j, naming the field", (field, value) => {
    const found = issues(JobInput, { ...valid, [field]: value });
    expect(found).toHaveLength(1);
    expect(found[0].startsWith(`${field}:`)).toBe(true);
  });

  it(`limits params to ${MAX_PARAMS_BYTES} bytes of JSON`, () => {
    const padding = (length: number) => ({ p: "x".repeat(length - '{"p":""}'.length) });
    expect(JSON.stringify(padding(MAX_PARAMS_BYTES)).length).toBe(MAX_PARAMS_BYTES);
    expect(JobInput.safeParse({ ...valid, params: padding(MAX_PARAMS_BYTES) }).success).toBe(true);
    expect(issues(JobInput, { ...valid, params: padding(MAX_PARAMS_BYTES + 1) })).toEqual([
      "params: params must be at most 64 KiB as JSON",
    ]);
  });

  // PRODUCT BUG (lib/jobs/schemas.ts Params): the limit is MAX_PARAMS_BYTES, "64 KiB as JSON", but
  // the check compares JSON.stringify(params).length, which counts UTF-16 code units, not bytes.
  // 30,000 "€" (3 bytes each in UTF-8) is 90,008 bytes of JSON and passes. Fix: compare
  // Buffer.byteLength(JSON.stringify(params)) (or TextEncoder) with MAX_PARAMS_BYTES.
  it("counts the params limit in bytes, not characters", () => {
    const params = { p: "€".repeat(30_000) };
    expect(Buffer.byteLength(JSON.stringify(params))).toBeGreaterThan(MAX_PARAMS_BYTES);
    expect(JobInput.safeParse({ ...valid, params }).success).toBe(false);
  });
});

describe("ScheduleInput", () => {
  it.each([
    [{ type: "cron", expression: "*/5 * * * *" }, { type: "cron", expression: "*/5 * * * *", timezone: "UTC" }],
    [{ type: "cron", expression: "0 30 9 * * 1-5", timezone: "America/New_York" }, null],
    [{ type: "interval", everySeconds: 1 }, null],
    [{ type: "interval", everySeconds: 31_536_000 }, null],
    [{ type: "once", at: "2026-12-01T09:00:00Z" }, null],
    [{ type: "once", at: "2026-12-01T09:00:00.123+02:00" }, null],
    [{ type: "manual" }, null],
  ])("accepts %j", (input, output) => {
    expect(ScheduleInput.parse(input)).toEqual(output ?? input);
  });

  it("puts a bad cron expression's problem on schedule.expression", () => {
    expect(issues(JobInput, { ...valid, schedule: { type: "cron", expression: "61 * * * *" } })).toEqual([
      "schedule.expression: Invalid cron expression: Invalid value for minute: 61",
    ]);
    expect(issues(JobInput, { ...valid, schedule: { type: "cron", expression: "* * * *" } })).toEqual([
      "schedule.expression: Invalid cron expression: Use 5 fields, or 6 with seconds first; got 4",
    ]);
    expect(issues(JobInput, { ...valid, schedule: { type: "cron", expression: "0 0 30 2 *" } })).toEqual([
      "schedule.expression: Invalid cron expression: This expression never fires",
    ]);
    expect(issues(JobInput, { ...valid, schedule: { type: "cron", expression: "  " } })[0]).toMatch(/^schedule\.expression: /);
  });

  it("puts an unknown timezone on schedule.timezone alone, still checking the expression", () => {
    expect(issues(JobInput, { ...valid, schedule: { ...valid.schedule, timezone: "Mars/Olympus" } })).toEqual([
      "schedule.timezone: Unknown IANA timezone (e.g. Europe/Berlin, UTC)",
    ]);
    expect(issues(JobInput, { ...valid, schedule: { type: "cron", expression: "bad", timezone: "Mars/Olympus" } })).toEqual([
      "schedule.timezone: Unknown IANA timezone (e.g. Europe/Berlin, UTC)",
      "schedule.expression: Invalid cron expression: Use 5 fields, or 6 with seconds first; got 1",
    ]);
  });

  it.each([0, -5, 1.5, 31_536_001, "60"])("refuses an interval of %j seconds on schedule.everySeconds", (everySeconds) => {
    const found = issues(JobInput, { ...valid, schedule: { type: "interval", everySeconds } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^schedule\.everySeconds: /);
  });

  it.each(["2026-12-01T09:00:00", "2026-12-01 09:00:00Z", "2026-12-01", "tomorrow", "2026-02-30T09:00:00Z"])(
    "refuses a one-off time of %j, asking for ISO-8601 with an offset",
    (at) => {
      expect(issues(JobInput, { ...valid, schedule: { type: "once", at } })).toEqual([
        "schedule.at: Use an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z",
      ]);
    },
  );

  it("refuses an unknown schedule type on schedule.type", () => {
    const [issue] = issues(JobInput, { ...valid, schedule: { type: "weekly" } });
    expect(issue).toMatch(/^schedule\.type: /);
    expect(issue).toContain("'cron' | 'interval' | 'once' | 'manual'");
  });
});

describe("JobPatch, JobReplace and VersionBody", () => {
  it("accepts any subset of the editable fields in a PATCH, adding nothing", () => {
    expect(JobPatch.parse({})).toEqual({});
    expect(JobPatch.parse({ enabled: false })).toEqual({ enabled: false });
    expect(JobPatch.parse({ name: " Renamed ", version: 3 })).toEqual({ name: "Renamed", version: 3 });
  });

  it("still validates what a PATCH does send, in full", () => {
    expect(issues(JobPatch, { schedule: { type: "cron", expression: "* * * * * * *" } })).toEqual([
      "schedule.expression: Invalid cron expression: Use 5 fields, or 6 with seconds first; got 7",
    ]);
    expect(issues(JobPatch, { name: "" })).toEqual(["name: Name is required"]);
    expect(issues(JobPatch, { version: 0 })[0]).toMatch(/^version: /);
    expect(issues(JobPatch, { version: "3" })[0]).toMatch(/^version: /);
    expect(issues(JobPatch, { id: "x" })).toEqual([': Unrecognized key: "id"']);
  });

  it("applies the schedule's own defaults inside a PATCH", () => {
    expect(JobPatch.parse({ schedule: { type: "cron", expression: "0 2 * * *" } })).toEqual({
      schedule: { type: "cron", expression: "0 2 * * *", timezone: "UTC" },
    });
  });

  it("requires every required field in a PUT, with an optional version", () => {
    expect(JobReplace.parse({ ...valid, version: 2 })).toMatchObject({ version: 2 });
    expect(JobReplace.safeParse(valid).success).toBe(true);
    expect(issues(JobReplace, { name: "Only a name" }).map((line) => line.split(":")[0])).toEqual(["type", "schedule"]);
  });

  it("accepts only an optional version in enable, disable and reset bodies", () => {
    expect(VersionBody.parse({})).toEqual({});
    expect(VersionBody.parse({ version: 4 })).toEqual({ version: 4 });
    expect(issues(VersionBody, { version: 4, enabled: true })).toEqual([': Unrecognized key: "enabled"']);
  });
});

describe("JobListQuery", () => {
  it("coerces query-string values and fills in paging defaults", () => {
    expect(JobListQuery.parse({})).toEqual({ page: 1, pageSize: 50 });
    expect(JobListQuery.parse({ page: "2", pageSize: "10", enabled: "false", health: "failed", lastStatus: "FAILED" })).toEqual({
      page: 2,
      pageSize: 10,
      enabled: false,
      health: "failed",
      lastStatus: "FAILED",
    });
  });

  it.each([
    ["enabled", "yes"],
    ["pageSize", "201"],
    ["page", "0"],
    ["health", "sick"],
    ["lastStatus", "failed"],
    ["sort", "name"],
  ])("refuses %s=%s", (key, value) => {
    expect(JobListQuery.safeParse({ [key]: value }).success).toBe(false);
  });
});

describe("describeSchedule", () => {
  it.each([
    [{ type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" }, "At 02:00, every day (Europe/Berlin)"],
    [{ type: "cron", expression: "*/5 * * * *", timezone: "UTC" }, "Every 5 minutes, every hour, every day (UTC)"],
    [{ type: "cron", expression: "30 0 2 * * 1-5", timezone: "UTC" }, "At 02:00:30, Monday through Friday (UTC)"],
    // cronstrue cannot read it: the expression is shown as it is.
    [{ type: "cron", expression: "not a cron", timezone: "UTC" }, "not a cron (UTC)"],
    [{ type: "interval", everySeconds: 1 }, "Every second"],
    [{ type: "interval", everySeconds: 60 }, "Every minute"],
    [{ type: "interval", everySeconds: 90 }, "Every 90 seconds"],
    [{ type: "interval", everySeconds: 7200 }, "Every 2 hours"],
    [{ type: "interval", everySeconds: 86_400 }, "Every day"],
    [{ type: "interval", everySeconds: 172_800 }, "Every 2 days"],
    [{ type: "interval", everySeconds: 3601 }, "Every 3601 seconds"],
    [{ type: "once", at: "2026-12-01T09:00:00.000Z" }, "Once at 2026-12-01 09:00 UTC"],
    [{ type: "manual" }, "Manual only"],
  ] as const)("describes %j as %j", (schedule, words) => {
    expect(describeSchedule(schedule)).toBe(words);
  });
});
