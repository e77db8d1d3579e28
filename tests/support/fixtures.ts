// Test data made through the services, as users would make it.
import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import { expect } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ACTOR, type Actor, type Role } from "@/lib/auth/roles";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { createUser } from "@/lib/auth/users";
import { authSecret } from "@/lib/auth/secret";
import type { JobInput } from "@/lib/jobs/schemas";
import { api, type ApiResponse } from "./api";

/** Empties every table but the migrations, then puts back the system-managed jobs. */
export async function resetDatabase(): Promise<void> {
  const db = await getPrisma();
  await db.$executeRawUnsafe(
    "TRUNCATE executions, audit_events, jobs, api_tokens, users, sign_in_limits, scheduler_instances, secrets, notification_channels, maintenance_windows CASCADE",
  );
  const { upsertSystemJobs } = await import("@/lib/jobs/system");
  await upsertSystemJobs();
}

export interface Identities {
  viewer: string;
  operator: string;
  admin: string;
  revoked: string;
  users: Record<Role, { id: string; email: string }>;
  /** The name of each token: what audit events and `createdBy` show for it. */
  tokenNames: Record<Role | "revoked", string>;
}

/** A user and an API token for every role, plus a revoked operator token. */
export async function createIdentities(): Promise<Identities> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const users = {} as Identities["users"];
  const tokens = {} as Record<Role, string>;
  const tokenNames = {} as Identities["tokenNames"];
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser({
      actor: SYSTEM_ACTOR,
      input: { email: `${role}-${suffix}@example.test`, role, password: "correct horse battery" },
    });
    users[role] = { id: user.id, email: user.email };
    tokenNames[role] = `${role}-${suffix}`;
    tokens[role] = (await createToken({ actor: SYSTEM_ACTOR, input: { name: tokenNames[role], role } })).token;
  }
  const revoked = await createToken({ actor: SYSTEM_ACTOR, input: { name: `revoked-${suffix}`, role: "operator" } });
  tokenNames.revoked = revoked.record.name;
  await revokeToken({ actor: SYSTEM_ACTOR, input: { id: revoked.record.id } });
  return { ...tokens, revoked: revoked.token, users, tokenNames };
}

/** A next-auth session cookie for a user, as the browser would send it. */
export async function sessionCookie(user: { id: string; email: string }, role: Role): Promise<string> {
  const token = await encode({ token: { sub: user.id, email: user.email, role }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

let counter = 0;

export function jobInput(overrides: Partial<JobInput> = {}): JobInput {
  counter += 1;
  return {
    name: `Test job ${counter} ${crypto.randomUUID().slice(0, 6)}`,
    type: "demo.sleep",
    params: { durationMs: 10, steps: 1 },
    schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
    ...overrides,
  };
}

/** Creates a job through the API and returns it; fails the test unless the answer is 201. */
export async function postJob(token: string, overrides: Partial<JobInput> = {}) {
  const response = await api("POST", "/api/jobs", { token, body: jobInput(overrides) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const ERROR_KEYS = ["code", "message", "details", "field", "retryable"];

/**
 * Asserts a non-2xx answer has the contract's status and error shape
 * `{ error: { code, message, details?, field?, retryable? } }`, and returns `error`.
 */
export function expectError(response: ApiResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(Object.keys(response.body ?? {})).toEqual(["error"]);
  const { error } = response.body;
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe("string");
  expect(error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(error)) expect(ERROR_KEYS).toContain(key);
  if ("details" in error) expect(Array.isArray(error.details)).toBe(true);
  if ("field" in error) expect(typeof error.field).toBe("string");
  expect(JSON.stringify(response.body)).not.toMatch(/(\\n|\n)\s+at |node_modules|\.ts:\d+/);
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  return error as { code: string; message: string; details?: any[]; field?: string; retryable?: boolean };
}

/** The paths named by a validation error's details. */
export const detailPaths = (error: { details?: { path: string }[] }) => (error.details ?? []).map((detail) => detail.path);

/** The database row of a job, soft-deleted or not. */
export async function jobRow(id: string) {
  const db = await getPrisma();
  return db.job.findUnique({ where: { id } });
}

/** Audit events about one target, oldest first, straight from the table. */
export async function auditRows(targetId: string) {
  const db = await getPrisma();
  return db.auditEvent.findMany({ where: { targetId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
}

/** The actions of the audit events about one target, sorted: events of one millisecond have no order. */
export async function auditActions(targetId: string): Promise<string[]> {
  return (await auditRows(targetId)).map((event) => event.action).sort();
}

/**
 * Waits until the next change gets a later timestamp than the last one (timestamps have millisecond
 * precision), for tests about "newest first".
 */
export const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));

/** The system-managed retention job that resetDatabase() puts back. */
export async function systemJobRow() {
  const db = await getPrisma();
  const job = await db.job.findUnique({ where: { systemKey: "execution-retention" } });
  if (!job) throw new Error("resetDatabase() did not create the system-managed job");
  return job;
}

/** Puts a job into the `failed` health state, as the worker would after repeated failures. */
export async function markFailed(id: string, consecutiveFailures = 3) {
  const db = await getPrisma();
  return db.job.update({
    where: { id },
    data: { health: "failed", consecutiveFailures, lastStatus: "FAILED", nextRunAt: null },
  });
}

/** Inserts a finished execution of a job directly, as the worker would have recorded it. */
export async function insertExecution(job: { id: string; name: string; type: string }, queuedAt: Date) {
  const db = await getPrisma();
  return db.execution.create({
    data: {
      jobId: job.id,
      jobVersion: 1,
      jobName: job.name,
      type: job.type,
      status: "SUCCEEDED",
      trigger: "schedule",
      triggeredBy: "scheduler",
      scheduledFor: queuedAt,
      queuedAt,
      startedAt: queuedAt,
      finishedAt: new Date(queuedAt.getTime() + 10),
      durationMs: 10,
    },
  });
}

// ---- Execution engine helpers ----

/** An actor for calling services directly, as a token of the given role would. */
export function actorFor(role: Role, name = `${role}-service-test`): Actor {
  return { kind: "token", id: null, name, role };
}

/**
 * Polls `check` until it returns a truthy value and returns that value; fails with `message` (and
 * the last value seen) after `timeoutMs`. For states reached asynchronously, instead of fixed sleeps.
 */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, message = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The database row of an execution. */
export async function executionRow(id: string) {
  const db = await getPrisma();
  return db.execution.findUnique({ where: { id } });
}

/** Waits until an execution has one of the statuses and returns its row. */
export async function waitForStatus(id: string, statuses: string | string[], timeoutMs = 5000) {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  return waitFor(
    async () => {
      const row = await executionRow(id);
      return row && wanted.includes(row.status) ? row : null;
    },
    timeoutMs,
    `execution ${id} to be ${wanted.join(" or ")}`,
  );
}

/** A job's executions, by scheduledFor then queuedAt. */
export async function executionsOf(jobId: string) {
  const db = await getPrisma();
  return db.execution.findMany({ where: { jobId }, orderBy: [{ scheduledFor: "asc" }, { queuedAt: "asc" }] });
}

/** Sets a job's next_run_at directly, as if the scheduler had last advanced it to `at`. */
export async function setNextRunAt(jobId: string, at: Date | null) {
  const db = await getPrisma();
  return db.job.update({ where: { id: jobId }, data: { nextRunAt: at } });
}

/** Ends every QUEUED or RUNNING execution, so a test leaves nothing for the next one's worker. */
export async function settleActiveExecutions() {
  const db = await getPrisma();
  await db.execution.updateMany({
    where: { status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED", finishedAt: new Date(), errorCode: "CANCELLED", errorMessage: "Settled by the test" },
  });
}
