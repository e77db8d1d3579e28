// nextRunAt as the API computes it on create, update, enable, disable and reset: in the job's
// timezone, null when disabled, failed or manual. The clock is pinned with vi.setSystemTime
// (Date only, timers stay real) so the expected instants are exact.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { api } from "../support/api";
import {
  createIdentities,
  detailPaths,
  expectError,
  jobInput,
  jobRow,
  markFailed,
  postJob,
  resetDatabase,
  type Identities,
} from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(() => {
  vi.useRealTimers();
});

// A Sunday in winter: Europe/Berlin is UTC+1, America/New_York UTC-5, Asia/Kolkata UTC+5:30.
const WINTER_NOON = "2026-11-22T12:00:00.000Z";
const at = (iso: string) => vi.setSystemTime(new Date(iso));

const create = async (overrides: Parameters<typeof jobInput>[0]) => {
  const job = await postJob(who.operator, overrides);
  expect((await jobRow(job.id))!.nextRunAt?.toISOString() ?? null).toBe(job.nextRunAt);
  return job;
};

describe("nextRunAt on create", () => {
  it.each([
    ["Europe/Berlin in winter", WINTER_NOON, "0 2 * * *", "Europe/Berlin", "2026-11-23T01:00:00.000Z"],
    ["Europe/Berlin in summer", "2026-07-01T12:00:00.000Z", "0 2 * * *", "Europe/Berlin", "2026-07-02T00:00:00.000Z"],
    ["America/New_York", WINTER_NOON, "0 2 * * *", "America/New_York", "2026-11-23T07:00:00.000Z"],
    ["Asia/Kolkata (half-hour offset)", WINTER_NOON, "0 2 * * *", "Asia/Kolkata", "2026-11-22T20:30:00.000Z"],
    ["later today in UTC", WINTER_NOON, "30 18 * * *", "UTC", "2026-11-22T18:30:00.000Z"],
    ["six fields, seconds first", WINTER_NOON, "30 0 2 * * *", "UTC", "2026-11-23T02:00:30.000Z"],
    ["weekdays only, from a Sunday", WINTER_NOON, "0 9 * * 1-5", "UTC", "2026-11-23T09:00:00.000Z"],
    ["across the end of summer time", "2026-10-24T13:00:00.000Z", "0 12 * * *", "Europe/Berlin", "2026-10-25T11:00:00.000Z"],
  ])("cron in %s", async (_label, now, expression, timezone, expected) => {
    at(now);
    const job = await create({ schedule: { type: "cron", expression, timezone } });
    expect(job.nextRunAt).toBe(expected);
  });

  it("cron without a timezone runs in UTC", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "cron", expression: "0 2 * * *" } as never });
    expect(job.schedule).toEqual({ type: "cron", expression: "0 2 * * *", timezone: "UTC" });
    expect(job.nextRunAt).toBe("2026-11-23T02:00:00.000Z");
  });

  it("interval: now plus everySeconds", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "interval", everySeconds: 3600 } });
    expect(job.nextRunAt).toBe("2026-11-22T13:00:00.000Z");
  });

  it("once: the given instant, normalised to UTC", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "once", at: "2026-12-01T10:00:00+01:00" } });
    expect(job.schedule).toEqual({ type: "once", at: "2026-12-01T09:00:00.000Z" });
    expect(job.nextRunAt).toBe("2026-12-01T09:00:00.000Z");
  });

  it("once in the past is rejected with details at schedule.at", async () => {
    at(WINTER_NOON);
    const response = await api("POST", "/api/jobs", {
      token: who.operator,
      body: jobInput({ schedule: { type: "once", at: "2026-11-22T11:59:59Z" } }),
    });
    const error = expectError(response, 400, "VALIDATION_FAILED");
    expect(error.field).toBe("schedule");
    expect(detailPaths(error)).toContain("schedule.at");
  });

  it("manual: null", async () => {
    const job = await create({ schedule: { type: "manual" } });
    expect(job.nextRunAt).toBeNull();
  });

  it("disabled: null", async () => {
    const job = await create({ enabled: false });
    expect(job.nextRunAt).toBeNull();
  });
});

describe("nextRunAt on change", () => {
  it("is null after disable and computed again on enable, at the time of enabling", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "interval", everySeconds: 600 } });
    expect(job.nextRunAt).toBe("2026-11-22T12:10:00.000Z");
    const disabled = await api("POST", `/api/jobs/${job.id}/disable`, { token: who.operator });
    expect(disabled.body.nextRunAt).toBeNull();
    at("2026-11-22T15:00:00.000Z");
    const enabled = await api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator });
    expect(enabled.body.nextRunAt).toBe("2026-11-22T15:10:00.000Z");
    expect((await jobRow(job.id))!.nextRunAt?.toISOString()).toBe("2026-11-22T15:10:00.000Z");
  });

  it("follows a PATCH of the cron timezone or expression", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" } });
    const moved = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { schedule: { type: "cron", expression: "0 2 * * *", timezone: "America/New_York" } },
    });
    expect(moved.body.nextRunAt).toBe("2026-11-23T07:00:00.000Z");
    const hourly = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" } },
    });
    expect(hourly.body.nextRunAt).toBe("2026-11-22T13:00:00.000Z");
    expect((await jobRow(job.id))!.nextRunAt?.toISOString()).toBe("2026-11-22T13:00:00.000Z");
  });

  it("follows PATCH enabled and a PUT with a new schedule", async () => {
    at(WINTER_NOON);
    const job = await create({});
    const off = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { enabled: false } });
    expect(off.body).toMatchObject({ enabled: false, nextRunAt: null });
    const on = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { enabled: true } });
    expect(on.body).toMatchObject({ enabled: true, nextRunAt: "2026-11-23T01:00:00.000Z" });
    const replaced = await api("PUT", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { ...jobInput({ name: job.name }), schedule: { type: "interval", everySeconds: 120 } },
    });
    expect(replaced.body.nextRunAt).toBe("2026-11-22T12:02:00.000Z");
    const manual = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { schedule: { type: "manual" } } });
    expect(manual.body.nextRunAt).toBeNull();
  });

  it("does not move when only other fields change", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "interval", everySeconds: 3600 } });
    at("2026-11-22T12:30:00.000Z");
    const patched = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "just a note" } });
    expect(patched.status).toBe(200);
    expect(patched.body.nextRunAt).toBe("2026-11-22T13:00:00.000Z");
  });

  it("rejects moving a once schedule into the past, but allows editing a fired one-off job", async () => {
    at(WINTER_NOON);
    const job = await create({ schedule: { type: "once", at: "2026-11-22T13:00:00Z" } });
    const past = await api("PATCH", `/api/jobs/${job.id}`, {
      token: who.operator,
      body: { schedule: { type: "once", at: "2026-11-22T11:00:00Z" } },
    });
    expect(detailPaths(expectError(past, 400, "VALIDATION_FAILED"))).toContain("schedule.at");
    expect((await jobRow(job.id))!.version).toBe(1);

    at("2026-11-22T14:00:00.000Z");
    const notes = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { notes: "it ran" } });
    expect(notes.status, JSON.stringify(notes.body)).toBe(200);
  });

  it("stays null for a failed job until reset", async () => {
    at(WINTER_NOON);
    const job = await create({ enabled: false, schedule: { type: "interval", everySeconds: 60 } });
    await markFailed(job.id);
    const enabled = await api("POST", `/api/jobs/${job.id}/enable`, { token: who.operator });
    expect(enabled.body).toMatchObject({ enabled: true, health: "failed", nextRunAt: null });
    const patched = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { schedule: { type: "interval", everySeconds: 30 } } });
    expect(patched.body.nextRunAt).toBeNull();
    const reset = await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator });
    expect(reset.body).toMatchObject({ health: "active", nextRunAt: "2026-11-22T12:00:30.000Z" });
  });
});
