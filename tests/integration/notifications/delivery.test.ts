// Notifications from the engine to a local HTTP server and a local SMTP server: each event (failed,
// recovered, paused, skipped, late) writes its delivery in the transaction of the change that causes
// it, and the notifier sends it (signed webhook, Slack text, email with text and HTML) with a link to
// the run. Channels watch all jobs or a list; repeated identical failures make one delivery a minute
// with the count in the next; a dead endpoint is retried five times then marked failed; two senders
// never send one delivery twice; a burst of runs keeps its pace while the endpoint hangs.
import http from "node:http";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { env, publicUrl } from "@/lib/env";
import { tick } from "@/lib/engine/tick";
import { workOnce } from "@/lib/engine/worker";
import { deliverDue } from "@/lib/notifications/deliver";
import { noticeLateRuns } from "@/lib/notifications/late";
import { startNotifier } from "@/lib/notifications/notifier";
import { api } from "../../support/api";
import { createIdentities, postJob, resetDatabase, setNextRunAt, settleActiveExecutions, waitFor, type Identities } from "../../support/fixtures";
import { useLocalServer } from "../../support/http-server";
import { useLocalSmtp } from "../../support/smtp-server";
import { insertExecutionOf, manualJob, NO_LOOKAHEAD, runNow, testEngineConfig, useWorkers } from "../engine/support";
import { deliveriesOf, disableChannels, postChannel, testNotifierConfig, verifySignature } from "./support";

let who: Identities;
const workers = useWorkers();
/** Requests to /hang are held until the test lets them go (or the client gives up). */
const held: http.ServerResponse[] = [];
const receiver = useLocalServer((request, response) => {
  if (request.url?.startsWith("/fail")) return void response.writeHead(503).end("down for maintenance");
  if (request.url?.startsWith("/hang")) return void held.push(response);
  response.end("ok");
});
const smtp = useLocalSmtp();
const config = testNotifierConfig();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

afterEach(async () => {
  await disableChannels();
  await settleActiveExecutions();
  for (const response of held.splice(0)) response.end("released");
  env.SMTP_URL = undefined;
});

const failingJob = (overrides: Parameters<typeof postJob>[1] = {}) =>
  manualJob(who.operator, { params: { durationMs: 0, steps: 1, fail: true, failMessage: "disk full" }, ...overrides });

/** Runs the job now and works until its run (and any retry due now) finished. */
async function runToEnd(jobId: string) {
  const execution = await runNow(who.operator, jobId);
  await workOnce(testEngineConfig({ concurrency: 10 }));
  return execution;
}

const payloadOf = (delivery: { payload: unknown }) => delivery.payload as any;
const seenFor = <T extends { url: string }>(seen: T[], path: string) => seen.filter((request) => request.url === path);

describe("events become deliveries in the transaction of their change", () => {
  it("failed: written with the completion, sent signed with a link to the run", async () => {
    const { base, seen } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/on-failure`, events: ["failed"] });
    const job = await failingJob();
    const run = await runToEnd(job.id);

    // No sender has run yet: the row was committed with the completion.
    const [pending] = await deliveriesOf(channel.id);
    expect(pending).toMatchObject({ event: "failed", status: "pending", attempts: 0, jobId: job.id, executionId: run.id });

    expect(await deliverDue(config), JSON.stringify(await deliveriesOf(channel.id))).toEqual({ claimed: 1, delivered: 1 });
    const [request] = seenFor(seen, "/on-failure");
    expect(verifySignature(request.headers["tickwork-signature"], request.body, channel.secret)).toBe(true);
    expect(request.headers["tickwork-event"]).toBe("failed");
    expect(request.headers["tickwork-delivery"]).toBe(pending.id);
    const body = JSON.parse(request.body);
    expect(Object.keys(body)).toEqual(["event", "at", "job", "execution", "suppressed"]);
    expect(Object.keys(body.job)).toEqual(["id", "name", "type", "health", "consecutiveFailures", "url"]);
    expect(body).toMatchObject({
      event: "failed",
      job: { id: job.id, name: job.name, type: "demo.sleep", health: "active", consecutiveFailures: 1, url: `${publicUrl()}/jobs/${job.id}` },
      execution: { id: run.id, status: "FAILED", attempt: 1, maxAttempts: 1, trigger: "manual", error: { code: "HANDLER_ERROR", message: "disk full" }, url: `${publicUrl()}/runs?execution=${run.id}` },
      suppressed: 0,
    });
    const [delivered] = await deliveriesOf(channel.id);
    expect(delivered).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200, lastError: null });
    expect(delivered.deliveredAt).not.toBeNull();
  });

  it("a failure with attempts left notifies nothing; its last attempt does", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/retries`, events: ["failed"] });
    const job = await failingJob({ maxAttempts: 2, retryBackoffSeconds: 1 });
    await runToEnd(job.id);
    expect(await deliveriesOf(channel.id)).toHaveLength(0);
    const db = await getPrisma();
    await db.execution.updateMany({ where: { jobId: job.id, status: "QUEUED" }, data: { scheduledFor: new Date() } });
    await workOnce(testEngineConfig());
    const deliveries = await deliveriesOf(channel.id);
    expect(deliveries.map((delivery) => [delivery.event, payloadOf(delivery).execution.attempt])).toEqual([["failed", 2]]);
  });

  it("recovered: the first success after a failure, once", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/recovered`, events: ["failed", "recovered"] });
    const job = await failingJob();
    await runToEnd(job.id);
    const fixed = await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { params: { durationMs: 0, steps: 1 } } });
    expect(fixed.status).toBe(200);
    const success = await runToEnd(job.id);
    await runToEnd(job.id);
    const deliveries = await deliveriesOf(channel.id);
    expect(deliveries.map((delivery) => delivery.event)).toEqual(["failed", "recovered"]);
    expect(payloadOf(deliveries[1])).toMatchObject({ event: "recovered", execution: { id: success.id, status: "SUCCEEDED", error: null }, job: { consecutiveFailures: 0 } });
  });

  it("paused: the job's health became failed; repeated failures within the minute are held back and counted", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/paused`, events: ["failed", "paused"] });
    const job = await failingJob({ pauseAfterFailures: 3 });
    for (let i = 0; i < 3; i++) await runToEnd(job.id);
    const deliveries = await deliveriesOf(channel.id);
    expect(deliveries.map((delivery) => delivery.event)).toEqual(["failed", "paused"]);
    expect(payloadOf(deliveries[1])).toMatchObject({ job: { health: "failed", consecutiveFailures: 3 }, execution: { status: "FAILED" } });
    const db = await getPrisma();
    const throttle = await db.notificationThrottle.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(throttle).toMatchObject({ key: `failed:${job.id}:HANDLER_ERROR`, suppressed: 2 });

    // A minute later the next identical failure is sent, carrying the count.
    await db.notificationThrottle.update({ where: { channelId_key: { channelId: channel.id, key: throttle.key } }, data: { lastSentAt: new Date(Date.now() - 61_000) } });
    await runToEnd(job.id);
    const next = (await deliveriesOf(channel.id)).at(-1)!;
    expect(next).toMatchObject({ event: "failed", suppressed: 2 });
    expect(payloadOf(next).suppressed).toBe(2);
    expect((await db.notificationThrottle.findFirstOrThrow({ where: { channelId: channel.id } })).suppressed).toBe(0);
  });

  it("skipped: a SKIPPED fire from the tick, with its error code", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/skipped`, events: ["skipped"] });
    const job = await postJob(who.operator, { schedule: { type: "cron", expression: "* * * * *", timezone: "UTC" }, overlapPolicy: "skip" });
    const T = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
    await insertExecutionOf(job, { status: "RUNNING", scheduledFor: new Date(T.getTime() - 60_000), startedAt: T, lastHeartbeatAt: new Date(), workerId: "busy" });
    await setNextRunAt(job.id, T);
    await tick(new Date(T.getTime() + 100), NO_LOOKAHEAD);
    await setNextRunAt(job.id, null);
    const [delivery] = await deliveriesOf(channel.id);
    expect(delivery).toMatchObject({ event: "skipped", jobId: job.id });
    expect(payloadOf(delivery).execution).toMatchObject({ status: "SKIPPED", scheduledFor: T.toISOString(), error: { code: "OVERLAP" } });
  });

  it("late: a scheduled run not started 60 s after its time is noticed exactly once, even by two checks at once", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/late`, events: ["late"] });
    const job = await postJob(who.operator, { schedule: { type: "manual" } });
    const ago = (ms: number) => new Date(Date.now() - ms);
    const late = await insertExecutionOf(job, { scheduledFor: ago(90_000) });
    await insertExecutionOf(job, { scheduledFor: ago(30_000) });
    await insertExecutionOf(job, { scheduledFor: ago(120_000), trigger: "manual" });
    const noticed = await Promise.all([noticeLateRuns(config), noticeLateRuns(config)]);
    expect(noticed.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await noticeLateRuns(config)).toBe(0);
    const deliveries = await deliveriesOf(channel.id);
    expect(deliveries.map((delivery) => [delivery.event, delivery.executionId])).toEqual([["late", late.id]]);
    expect(payloadOf(deliveries[0]).execution).toMatchObject({ status: "QUEUED", startedAt: null });
  });
});

describe("who is told", () => {
  it("a channel watching a list of jobs hears only them, a disabled one nothing, and only the events it lists", async () => {
    const { base } = await receiver;
    const [watched, other] = [await failingJob(), await failingJob()];
    const listing = await postChannel(who.admin, { target: `${base}/listing`, events: ["failed"], jobIds: [watched.id] });
    const disabled = await postChannel(who.admin, { target: `${base}/disabled`, events: ["failed"], enabled: false });
    const recoveredOnly = await postChannel(who.admin, { target: `${base}/recovered-only`, events: ["recovered"] });
    await runToEnd(watched.id);
    await runToEnd(other.id);
    expect((await deliveriesOf(listing.id)).map((delivery) => delivery.jobId)).toEqual([watched.id]);
    expect(await deliveriesOf(disabled.id)).toHaveLength(0);
    expect(await deliveriesOf(recoveredOnly.id)).toHaveLength(0);
  });

  it("Slack gets a readable message and email a text and HTML message, both linking to the run", async () => {
    const { base, seen } = await receiver;
    const { url, mails } = await smtp;
    env.SMTP_URL = url;
    const slack = await postChannel(who.admin, { kind: "slack", target: `${base}/slack`, events: ["failed"] });
    const email = await postChannel(who.admin, { kind: "email", target: "oncall@example.test", events: ["failed"] });
    const job = await failingJob({ name: `Nightly <backup> ${crypto.randomUUID().slice(0, 4)}` });
    const run = await runToEnd(job.id);
    expect((await deliverDue(config, 10)).delivered).toBe(2);

    const { text } = JSON.parse(seenFor(seen, "/slack")[0].body);
    const link = `${publicUrl()}/runs?execution=${run.id}`;
    expect(text).toContain(`*${job.name.replace("<", "&lt;").replace(">", "&gt;")} failed (HANDLER_ERROR: disk full)*`);
    expect(text).toContain("Error: HANDLER_ERROR: disk full");
    expect(text).toContain(`<${link}|Open the run>`);

    const mail = mails.at(-1)!;
    expect(mail.to).toEqual(["oncall@example.test"]);
    expect(mail.decoded).toContain(`[Tickwork] ${job.name} failed (HANDLER_ERROR: disk full)`);
    expect(mail.decoded).toContain(`Open the run: ${link}`);
    expect(mail.decoded).toContain(`<a href="${link}">Open the run</a>`);
    expect(mail.decoded).toContain("Nightly &lt;backup&gt;");
    expect((await deliveriesOf(email.id))[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect((await deliveriesOf(slack.id))[0]).toMatchObject({ status: "delivered", lastStatus: 200 });
  });
});

describe("sending", () => {
  it("retries a failing endpoint with backoff, marks the delivery failed after 5 attempts, and an admin retry sends it again", async () => {
    const { base } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/fail`, events: ["failed"] });
    const job = await failingJob();
    await runToEnd(job.id);
    const attempts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await waitFor(async () => (await deliverDue(config)).claimed === 1, 5000, `attempt ${i + 1}`);
      const [row] = await deliveriesOf(channel.id);
      attempts.push(row.attempts);
      // Backoff: after a failed attempt the next one waits (20, 60, 180, 540 ms here).
      if (row.status === "pending") expect(row.nextAttemptAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    const [failed] = await deliveriesOf(channel.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 5, lastStatus: 503, lastError: "The endpoint answered 503: down for maintenance" });
    expect((await deliverDue(config)).claimed).toBe(0);

    const retried = await api("POST", `/api/channels/${channel.id}/deliveries/${failed.id}/retry`, { token: who.admin });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: "pending", attempts: 0 });
    expect((await deliverDue(config)).claimed).toBe(1);
    const log = await api("GET", `/api/channels/${channel.id}/deliveries`, { token: who.operator });
    expect(log.body.items[0]).toMatchObject({ id: failed.id, status: "pending", attempts: 1, lastError: expect.stringContaining("503"), summary: `${job.name} failed (HANDLER_ERROR: disk full)` });
  });

  it("two senders at once never send one delivery twice", async () => {
    const { base, seen } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/pair`, events: ["failed"] });
    for (let i = 0; i < 12; i++) await runToEnd((await failingJob()).id);
    const results = await Promise.all([deliverDue(config, 12), deliverDue(config, 12), deliverDue(config, 12)]);
    expect(results.reduce((sum, result) => sum + result.claimed, 0)).toBe(12);
    const ids = seenFor(seen, "/pair").map((request) => request.headers["tickwork-delivery"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect((await deliveriesOf(channel.id)).every((delivery) => delivery.status === "delivered" && delivery.attempts === 1)).toBe(true);
  });

  it("a delivery whose sender died is sent again after its lease, with the same delivery id", async () => {
    const { base, seen } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/lease`, events: ["failed"] });
    await runToEnd((await failingJob()).id);
    const { claimDeliveries } = await import("@/lib/notifications/deliver");
    const [claimed] = await claimDeliveries(1, config);
    // Its sender "dies" here: the row stays leased, and nobody takes it before the lease ends.
    expect((await deliverDue(config)).claimed).toBe(0);
    const db = await getPrisma();
    await db.notificationDelivery.update({ where: { id: claimed.id }, data: { nextAttemptAt: new Date(Date.now() - 1) } });
    expect(await deliverDue(config)).toEqual({ claimed: 1, delivered: 1 });
    expect(seenFor(seen, "/lease").map((request) => request.headers["tickwork-delivery"])).toEqual([claimed.id]);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("a burst of runs keeps its pace while the notification endpoint hangs (measured, reported)", { timeout: 120_000 }, async () => {
    const { base } = await receiver;
    const RUNS = 300;
    const FAILING_JOBS = 40;
    const db = await getPrisma();
    /** Queues RUNS runs at once (40 of them failing, each of its own job), then times one worker draining them. */
    const burst = async (label: string) => {
      const ok = await manualJob(who.operator, { params: { durationMs: 0, steps: 1 } });
      const failing = await Promise.all(Array.from({ length: FAILING_JOBS }, () => failingJob()));
      const jobs = [...failing, ...Array.from({ length: RUNS - FAILING_JOBS }, () => ok)];
      const now = new Date();
      await db.execution.createMany({
        data: jobs.map((job, i) => ({
          jobId: job.id,
          jobVersion: job.version,
          jobName: job.name,
          type: job.type,
          trigger: "manual" as const,
          triggeredBy: "burst",
          params: job.params,
          scheduledFor: new Date(now.getTime() + i),
          queuedAt: now,
        })),
      });
      const started = performance.now();
      const worker = workers.start({ concurrency: 16 });
      const jobIds = [ok.id, ...failing.map((job) => job.id)];
      await waitFor(async () => (await db.execution.count({ where: { jobId: { in: jobIds }, status: { in: ["SUCCEEDED", "FAILED"] } } })) === RUNS, 90_000, `${RUNS} runs of ${label}`);
      const elapsed = performance.now() - started;
      await workers.stop(worker, 0);
      return elapsed;
    };
    const baseline = await burst("the baseline, no channel");
    const channel = await postChannel(who.admin, { target: `${base}/hang`, events: ["failed"] });
    const notifier = startNotifier(testNotifierConfig({ timeoutMs: 5000, concurrency: 4 }));
    try {
      const withHangingEndpoint = await burst("the burst beside a hanging endpoint");
      const deliveries = await deliveriesOf(channel.id);
      expect(deliveries).toHaveLength(FAILING_JOBS);
      // The notifier sends at most its concurrency at once; the rest wait their turn (or their backoff).
      await waitFor(() => held.length >= 4, 10_000, "four requests held by the endpoint");
      console.log(
        `[notifications] ${RUNS} runs (${FAILING_JOBS} failing, each notifying a hanging webhook): ${Math.round(baseline)} ms without a channel, ` +
          `${Math.round(withHangingEndpoint)} ms with it (ratio ${(withHangingEndpoint / baseline).toFixed(2)}); ` +
          `${held.length} requests held, ${deliveries.filter((delivery) => delivery.status === "pending").length} deliveries pending`,
      );
    } finally {
      await notifier.stop(0);
    }
  });
});
