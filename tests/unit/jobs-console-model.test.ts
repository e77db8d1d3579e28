// The jobs console's pure parts: the form draft and its PATCH, server errors placed on fields,
// the optimistic table reducer, the fire-time preview's DST marks and the list's URL params.
import { describe, expect, it } from "vitest";
import { fireTimes } from "@/components/jobs/fire-times";
import { fieldErrorsFrom } from "@/components/jobs/field-errors";
import { changedFields, draftFromJob, inputFromDraft, newDraft } from "@/components/jobs/form-model";
import { hasFilters, listHref, parseListQuery } from "@/components/jobs/list-query";
import { applyOptimistic, type JobRow } from "@/components/jobs/optimistic";
import type { JobDto } from "@/lib/jobs/schemas";

const JOB: JobDto = {
  id: "6f1c1f5e-4c1e-4b7a-9d7e-111111111111",
  name: "Nightly backup",
  description: null,
  type: "http.request",
  params: { url: "https://example.test/hook" },
  schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
  enabled: true,
  health: "active",
  systemManaged: false,
  overlapPolicy: "skip",
  misfirePolicy: "run_once",
  timeoutSeconds: 3600,
  maxAttempts: 1,
  retryBackoffSeconds: 30,
  pauseAfterFailures: 0,
  nextRunAt: "2026-11-23T01:00:00.000Z",
  lastRunAt: null,
  lastStatus: null,
  consecutiveFailures: 0,
  pausedUntil: null,
  onSuccess: [],
  onFailure: [],
  notes: null,
  version: 4,
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
  createdBy: "admin@example.test",
};

describe("job form draft", () => {
  it("turns an unchanged job back into an empty PATCH", () => {
    const built = inputFromDraft(draftFromJob(JOB, "UTC"));
    expect(built.ok).toBe(true);
    if (built.ok) expect(changedFields(JOB, built.input)).toEqual({});
  });

  it("sends only what changed, with empty text as null", () => {
    const draft = { ...draftFromJob(JOB, "UTC"), description: "  ", notes: "Call ops first", scheduleType: "interval" as const, intervalValue: "2", intervalUnit: "hours" as const };
    const built = inputFromDraft(draft);
    if (!built.ok) throw new Error("expected a valid draft");
    expect(changedFields(JOB, built.input)).toEqual({ notes: "Call ops first", schedule: { type: "interval", everySeconds: 7200 } });
  });

  it("reads an interval back in its largest whole unit", () => {
    expect(draftFromJob({ ...JOB, schedule: { type: "interval", everySeconds: 5400 } }, "UTC")).toMatchObject({ intervalValue: "90", intervalUnit: "minutes" });
    expect(draftFromJob({ ...JOB, schedule: { type: "interval", everySeconds: 172_800 } }, "UTC")).toMatchObject({ intervalValue: "2", intervalUnit: "days" });
  });

  it("treats two spellings of one instant as no change", () => {
    const once = { ...JOB, schedule: { type: "once" as const, at: "2030-01-01T09:00:00Z" } };
    const built = inputFromDraft(draftFromJob(once, "UTC"));
    if (!built.ok) throw new Error("expected a valid draft");
    expect(changedFields(once, built.input)).toEqual({});
  });

  it("catches what only the browser can: bad JSON and non-numbers", () => {
    const draft = { ...newDraft("demo.sleep", {}, "UTC"), paramsText: "{ durationMs: 5 }", maxAttempts: "two", timeoutSeconds: "" };
    const built = inputFromDraft(draft);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.errors.params?.[0]).toMatch(/^Not valid JSON/);
    expect(built.errors.maxAttempts).toEqual(["Enter a whole number"]);
    expect(built.errors.timeoutSeconds).toEqual(["Enter a whole number"]);
    expect(inputFromDraft({ ...newDraft("demo.sleep", {}, "UTC"), paramsText: "[1, 2]" })).toMatchObject({ ok: false, errors: { params: [expect.stringContaining("JSON object")] } });
  });
});

describe("server errors on fields", () => {
  it("puts params.* details on the params field, naming the inner path", () => {
    const errors = fieldErrorsFrom({
      code: "VALIDATION_FAILED",
      message: "Invalid params for http.request",
      field: "params",
      details: [
        { path: "params.url", message: "Use an http or https URL" },
        { path: "schedule.expression", message: "Invalid cron expression: bad minute" },
        { path: "schedule.everySeconds", message: "Too small" },
        { path: "name", message: "Name is required" },
      ],
    });
    expect(errors).toEqual({
      params: ["url: Use an http or https URL"],
      "schedule.expression": ["Invalid cron expression: bad minute"],
      "schedule.everySeconds": ["Too small"],
      name: ["Name is required"],
    });
  });

  it("sends unknown paths and detail-less errors to the summary or the named field", () => {
    expect(fieldErrorsFrom({ code: "VALIDATION_FAILED", message: "x", details: [{ path: "", message: "Empty body" }, { path: "schedule.foo", message: "Unknown field" }] })).toEqual({
      form: ["Empty body"],
      schedule: ["Unknown field"],
    });
    expect(fieldErrorsFrom({ code: "CONFLICT", message: 'A job named "x" already exists', field: "name" })).toEqual({ name: ['A job named "x" already exists'] });
    expect(fieldErrorsFrom({ code: "INTERNAL", message: "Something went wrong" })).toEqual({ form: ["Something went wrong"] });
  });
});

describe("optimistic rows", () => {
  const rows: JobRow[] = [
    { ...JOB, id: "a", name: "Alpha" },
    { ...JOB, id: "c", name: "Charlie" },
  ];

  it("adds a row in name order, patches one as saving and removes one", () => {
    expect(applyOptimistic(rows, { kind: "add", row: { ...JOB, id: "b", name: "Bravo", pending: "creating" } }).map((row) => row.name)).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(applyOptimistic(rows, { kind: "patch", id: "c", changes: { enabled: false } })[1]).toMatchObject({ name: "Charlie", enabled: false, pending: "saving" });
    expect(applyOptimistic(rows, { kind: "remove", id: "a" }).map((row) => row.id)).toEqual(["c"]);
  });
});

describe("fire-time preview", () => {
  it("marks the fire time after a DST switch with the offsets on either side", () => {
    const times = fireTimes({ type: "cron", expression: "0 9 1 * *", timezone: "Europe/Berlin" }, "Europe/Berlin", new Date("2026-12-15T00:00:00Z"), 5);
    expect(times.map((time) => time.at.toISOString())).toEqual([
      "2027-01-01T08:00:00.000Z",
      "2027-02-01T08:00:00.000Z",
      "2027-03-01T08:00:00.000Z",
      "2027-04-01T07:00:00.000Z",
      "2027-05-01T07:00:00.000Z",
    ]);
    expect(times.map((time) => time.offsetChangedFrom ?? null)).toEqual([null, null, null, "GMT+01:00", null]);
    expect(times[3].offset).toBe("GMT+02:00");
  });

  it("marks nothing in a zone without DST", () => {
    const times = fireTimes({ type: "cron", expression: "0 9 1 * *", timezone: "UTC" }, "UTC", new Date("2026-12-15T00:00:00Z"), 5);
    expect(times.every((time) => time.offset === "GMT+00:00" && !time.offsetChangedFrom)).toBe(true);
  });
});

describe("jobs list URL", () => {
  it("drops invalid params and reports them instead of failing", () => {
    const { query, ignored } = parseListQuery({ enabled: "maybe", page: "0", health: "failed", query: ["backup", "other"], type: "" });
    expect(query).toMatchObject({ health: "failed", query: "backup", page: 1, pageSize: 25 });
    expect(query.enabled).toBeUndefined();
    expect(ignored.sort()).toEqual(["enabled=maybe", "page=0"]);
  });

  it("falls back to the console's page size when the given one is out of range", () => {
    expect(parseListQuery({ pageSize: "5000" })).toMatchObject({ query: { pageSize: 25 }, ignored: ["pageSize=5000"] });
  });

  it("writes links that keep the filters and leave defaults out", () => {
    const { query } = parseListQuery({ type: "demo.sleep", enabled: "false" });
    expect(listHref(query, { page: 2 })).toBe("/jobs?type=demo.sleep&enabled=false&page=2");
    expect(listHref(parseListQuery({}).query)).toBe("/jobs");
    expect(hasFilters(query)).toBe(true);
    expect(hasFilters(parseListQuery({ page: "3" }).query)).toBe(false);
  });
});
