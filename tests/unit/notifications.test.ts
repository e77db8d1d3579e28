// The pure parts of notifications: which notices a completion makes (failed, recovered, paused), the
// webhook signature receivers verify, the readable Slack and email messages, and target checks.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Execution, Job } from "@/lib/db";
import { finishNotices, skipNotices } from "@/lib/notifications/events";
import { emailMessage, headline, payloadOf, slackMessage } from "@/lib/notifications/payload";
import { ChannelInput, targetProblem } from "@/lib/notifications/schemas";
import { signature } from "@/lib/notifications/send";

const job = (overrides: Partial<Job> = {}) => ({ id: "job-1", name: "Nightly backup", type: "demo.sleep", health: "active", consecutiveFailures: 0, ...overrides }) as Job;
let seq = 0;
const run = (status: string, overrides: Partial<Execution> = {}) =>
  ({
    id: `run-${++seq}`,
    jobId: "job-1",
    status,
    trigger: "schedule",
    attempt: 1,
    maxAttempts: 1,
    scheduledFor: new Date("2026-12-01T02:00:00Z"),
    startedAt: new Date("2026-12-01T02:00:00.020Z"),
    finishedAt: new Date("2026-12-01T02:00:05Z"),
    durationMs: 4980,
    errorCode: status === "FAILED" ? "TIMEOUT" : status === "SKIPPED" ? "OVERLAP" : null,
    errorMessage: status === "FAILED" ? "Timed out after 5 s\nstack line" : null,
    ...overrides,
  }) as Execution;

const events = (notices: ReturnType<typeof finishNotices>) => notices.map((notice) => `${notice.event}:${notice.execution?.id ?? "-"}`);

describe("finishNotices", () => {
  it("a failure with no retry is failed; one that is retried is nothing", () => {
    const failed = run("FAILED");
    const retried = run("FAILED");
    expect(events(finishNotices([job()], [failed, retried], new Set([retried.id]), []))).toEqual([`failed:${failed.id}`]);
  });

  it("the first success after failures is recovered, a later one nothing; a success without earlier failure nothing", () => {
    const [a, b] = [run("SUCCEEDED"), run("SUCCEEDED")];
    expect(events(finishNotices([job({ consecutiveFailures: 2 })], [a, b], new Set(), []))).toEqual([`recovered:${a.id}`]);
    expect(finishNotices([job()], [run("SUCCEEDED")], new Set(), [])).toEqual([]);
    const [fail, fix] = [run("FAILED"), run("SUCCEEDED")];
    expect(events(finishNotices([job()], [fail, fix], new Set(), []))).toEqual([`failed:${fail.id}`, `recovered:${fix.id}`]);
  });

  it("a pause names the job failed with its last failure; cancelled runs notify nothing", () => {
    const fail = run("FAILED");
    const notices = finishNotices([job({ consecutiveFailures: 2 })], [fail, run("CANCELLED")], new Set(), [{ id: "job-1", pause: true }]);
    expect(events(notices)).toEqual([`failed:${fail.id}`, `paused:${fail.id}`]);
    expect(notices[1].job).toMatchObject({ health: "failed", consecutiveFailures: 3 });
  });

  it("skipNotices takes the SKIPPED rows of known jobs only", () => {
    const skipped = run("SKIPPED");
    expect(skipNotices([job()], [run("QUEUED"), skipped, run("SKIPPED", { jobId: "other" })]).map((notice) => notice.execution?.id)).toEqual([skipped.id]);
  });
});

describe("signature", () => {
  it("is t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const at = new Date("2026-12-01T00:00:00Z");
    const value = signature("whsec_test", '{"event":"test"}', at);
    const t = at.getTime() / 1000;
    expect(value).toBe(`t=${t},v1=${crypto.createHmac("sha256", "whsec_test").update(`${t}.{"event":"test"}`).digest("hex")}`);
  });
});

describe("messages", () => {
  const payload = payloadOf({ event: "failed", at: new Date(), job: job({ name: "Billing <export> & co" }), execution: run("FAILED", { id: "e1" }) }, 4);

  it("headline: job, what happened, the error's first line", () => {
    expect(headline(payload)).toBe("Billing <export> & co failed (TIMEOUT: Timed out after 5 s)");
  });

  it("Slack: escaped text with the job, status, error, held-back count and a link to the run", () => {
    const { text } = slackMessage(payload);
    expect(text).toContain("*Billing &lt;export&gt; &amp; co failed (TIMEOUT: Timed out after 5 s)*");
    expect(text).toContain("Status: FAILED, attempt 1 of 1, trigger schedule");
    expect(text).toContain("4 more identical event(s)");
    expect(text).toMatch(/<http:\/\/[^|]+\/runs\?execution=e1\|Open the run>/);
  });

  it("email: a subject, plain text and escaped HTML, each with the link", () => {
    const message = emailMessage(payload);
    expect(message.subject).toBe("[Tickwork] Billing <export> & co failed (TIMEOUT: Timed out after 5 s)");
    expect(message.text).toMatch(/Open the run: http:\/\/\S+\/runs\?execution=e1$/);
    expect(message.html).toContain("<strong>Billing &lt;export&gt; &amp; co failed");
    expect(message.html).toMatch(/<a href="http:\/\/\S+\/runs\?execution=e1">Open the run<\/a>/);
  });
});

describe("channel input", () => {
  it("checks the target against the kind", () => {
    expect(targetProblem("email", "ops@example.test")).toBeNull();
    expect(targetProblem("email", "https://x.test")).toBe("Not a valid email address");
    expect(targetProblem("webhook", "ops@example.test")).toBe("Not a valid URL");
    expect(targetProblem("slack", "ftp://x.test/")).toBe("Use an http or https URL");
    const parsed = ChannelInput.safeParse({ name: "x", kind: "email", target: "nope", events: ["failed"] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(["target"]);
  });

  it("orders and dedupes events and job ids; null watches every job", () => {
    const id = crypto.randomUUID();
    expect(ChannelInput.parse({ name: " x ", kind: "webhook", target: "https://x.test", events: ["late", "failed", "late"], jobIds: [id, id] })).toEqual({
      name: "x",
      kind: "webhook",
      target: "https://x.test",
      events: ["failed", "late"],
      jobIds: [id],
      enabled: true,
    });
    expect(ChannelInput.parse({ name: "x", kind: "webhook", target: "https://x.test", events: ["failed"] }).jobIds).toBeNull();
  });
});
