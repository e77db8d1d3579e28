// Retries and pausing: a failed run with attempts left is retried as a new execution (trigger
// retry, attempt + 1, retryOf the failed one) after an exponential backoff with ±20 % jitter; a job
// with pauseAfterFailures stops being scheduled (health failed) until it is reset.
import { beforeAll, describe, expect, it } from "vitest";


import { tick } from "@/lib/engine/tick";
import { api } from "../../support/api";
import {
  auditActions,
  createIdentities,
  executionsOf,
  expectError,
  jobRow,
  postJob,
  resetDatabase,
  setNextRunAt,
  waitFor,
  waitForStatus,
  type Identities,
} from "../../support/fixtures";
import { manualJob, NO_LOOKAHEAD, readExecution, runNow, sleep, useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const FAILING = { durationMs: 10, steps: 1, fail: true, failMessage: "flaky upstream" };

/** Waits until the job has `count` executions and the last one finished. */
const waitForChain = (jobId: string, count: number, timeoutMs: number) =>
  waitFor(
    async () => {
      const rows = await executionsOf(jobId);
      return rows.length === count && !["QUEUED", "RUNNING"].includes(rows[count - 1].status) ? rows : null;
    },
    timeoutMs,
    `${count} finished executions`,
  );

describe("retries", () => {
  it("retries a failed run as new executions with backoff 1 s, 2 s (±20 %), up to maxAttempts", async () => {
    const job = await manualJob(who.operator, { maxAttempts: 3, retryBackoffSeconds: 1, params: FAILING });
    workers.start();
    const first = await runNow(who.operator, job.id);
    const [a, b, c] = await waitForChain(job.id, 3, 10_000);
    await sleep(300);
    expect(await executionsOf(job.id)).toHaveLength(3);

    expect(a).toMatchObject({ id: first.id, attempt: 1, trigger: "manual", status: "FAILED", errorCode: "HANDLER_ERROR", retryOfId: null });
    expect(b).toMatchObject({ attempt: 2, trigger: "retry", status: "FAILED", errorCode: "HANDLER_ERROR", retryOfId: a.id });
    expect(c).toMatchObject({ attempt: 3, trigger: "retry", status: "FAILED", errorCode: "HANDLER_ERROR", retryOfId: b.id });
    for (const retry of [b, c]) {
      expect(retry).toMatchObject({ jobId: job.id, jobVersion: a.jobVersion, jobName: a.jobName, triggeredBy: a.triggeredBy, maxAttempts: 3 });
      expect(retry.params).toEqual(a.params);
    }
    // Each retry is queued when its predecessor's outcome is written, due the backoff after that attempt ended, and not started before it.
    const delayB = b.scheduledFor.getTime() - a.finishedAt!.getTime();
    const delayC = c.scheduledFor.getTime() - b.finishedAt!.getTime();
    expect(b.queuedAt.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
    expect(b.queuedAt.getTime() - a.finishedAt!.getTime()).toBeLessThan(delayB);
    expect(delayB).toBeGreaterThanOrEqual(800);
    expect(delayB).toBeLessThanOrEqual(1200);
    expect(delayC).toBeGreaterThanOrEqual(1600);
    expect(delayC).toBeLessThanOrEqual(2400);
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(b.scheduledFor.getTime());
    expect(c.startedAt!.getTime()).toBeGreaterThanOrEqual(c.scheduledFor.getTime());

    expect(await readExecution(who.viewer, b.id)).toMatchObject({ trigger: "retry", attempt: 2, status: "FAILED" });
    // One failed run, however many attempts it took.
    expect(await jobRow(job.id)).toMatchObject({ lastStatus: "FAILED", consecutiveFailures: 1 });
  });

  it("retries a timed-out run too", async () => {
    const job = await manualJob(who.operator, { maxAttempts: 2, retryBackoffSeconds: 1, timeoutSeconds: 1, params: { durationMs: 3000, steps: 3 } });
    workers.start();
    await runNow(who.operator, job.id);
    const [a, b] = await waitForChain(job.id, 2, 8000);
    expect(a).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT" });
    expect(b).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", trigger: "retry", attempt: 2, retryOfId: a.id });
  });

  it("a retry waiting for its time is listed as queued and can be cancelled", async () => {
    const job = await manualJob(who.operator, { maxAttempts: 2, retryBackoffSeconds: 30, params: FAILING });
    workers.start();
    const first = await runNow(who.operator, job.id);
    await waitForStatus(first.id, "FAILED");
    const retry = await waitFor(async () => (await executionsOf(job.id)).find((row) => row.trigger === "retry"), 3000, "the retry");
    expect(retry.status).toBe("QUEUED");
    expect(retry.scheduledFor.getTime() - Date.now()).toBeGreaterThan(20_000);
    const active = await api("GET", "/api/executions/active", { token: who.viewer });
    expect(active.body.items.map((item: { id: string }) => item.id)).toContain(retry.id);
    const cancelled = await api("POST", `/api/executions/${retry.id}/cancel`, { token: who.operator });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("CANCELLED");
  });
});

describe("pauseAfterFailures", () => {
  it("marks the job failed with no nextRunAt after N consecutive failures; the tick skips it; reset brings it back", async () => {
    const job = await postJob(who.operator, { schedule: { type: "interval", everySeconds: 3600 }, pauseAfterFailures: 2, params: FAILING });
    expect(job.nextRunAt).not.toBeNull();
    workers.start();

    await waitForStatus((await runNow(who.operator, job.id)).id, "FAILED");
    expect(await jobRow(job.id)).toMatchObject({ health: "active", consecutiveFailures: 1 });
    expect((await jobRow(job.id))!.nextRunAt).not.toBeNull();

    await waitForStatus((await runNow(who.operator, job.id)).id, "FAILED");
    await waitFor(async () => (await jobRow(job.id))!.health === "failed", 2000, "the job to be paused");
    const paused = await api("GET", `/api/jobs/${job.id}`, { token: who.viewer });
    expect(paused.body).toMatchObject({ health: "failed", nextRunAt: null, consecutiveFailures: 2, lastStatus: "FAILED" });

    // Not scheduled while failed, even if next_run_at were set.
    await setNextRunAt(job.id, new Date(Date.now() - 1000));
    await tick(new Date(), NO_LOOKAHEAD);
    expect((await executionsOf(job.id)).filter((row) => row.trigger === "schedule")).toHaveLength(0);

    const reset = await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ health: "active", consecutiveFailures: 0 });
    expect(Date.parse(reset.body.nextRunAt)).toBeGreaterThan(Date.now());
    expect(await auditActions(job.id)).toContain("job.reset");
    expectError(await api("POST", `/api/jobs/${job.id}/reset`, { token: who.operator }), 409, "INVALID_STATE");
  });

  it("counts a failure only once its retries are used up", async () => {
    const job = await postJob(who.operator, {
      schedule: { type: "interval", everySeconds: 3600 },
      pauseAfterFailures: 1,
      maxAttempts: 2,
      retryBackoffSeconds: 1,
      params: FAILING,
    });
    workers.start();
    const first = await runNow(who.operator, job.id);
    await waitForStatus(first.id, "FAILED");
    const retry = await waitFor(async () => (await executionsOf(job.id)).find((row) => row.trigger === "retry"), 3000, "the retry");
    expect(await jobRow(job.id)).toMatchObject({ health: "active", consecutiveFailures: 0 });
    await waitForStatus(retry.id, "FAILED", 5000);
    await waitFor(async () => (await jobRow(job.id))!.health === "failed", 2000, "the job to be paused");
    expect(await jobRow(job.id)).toMatchObject({ consecutiveFailures: 1, nextRunAt: null });
  });
});
