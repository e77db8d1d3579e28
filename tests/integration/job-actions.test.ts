// The console's job server actions against the real database: a viewer changes nothing, and the
// operator's reset goes through the same service as POST /api/jobs/:id/reset (state, version, audit).
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor, Role } from "@/lib/auth/roles";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ currentActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { createJobAction, deleteJobAction, resetJobAction, runJobAction, setJobEnabledAction, updateJobAction } = await import("@/app/(console)/jobs/actions");
const { auditRows, createIdentities, jobInput, jobRow, markFailed, resetDatabase } = await import("../support/fixtures");

let users: Awaited<ReturnType<typeof createIdentities>>["users"];
const as = (role: Role): Actor => ({ kind: "user", id: users[role].id, name: users[role].email, role });

async function createJob() {
  session.actor = as("operator");
  const result = await createJobAction(jobInput());
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

beforeAll(async () => {
  await resetDatabase();
  ({ users } = await createIdentities());
});

beforeEach(() => {
  session.actor = as("operator");
});

describe("job actions", () => {
  it("refuse every change by a viewer, and the job stays as it was", async () => {
    const job = await createJob();
    await markFailed(job.id);
    const before = await jobRow(job.id);
    session.actor = as("viewer");
    const results = await Promise.all([
      createJobAction(jobInput()),
      updateJobAction({ id: job.id, version: job.version, description: "nope" }),
      setJobEnabledAction({ id: job.id, version: job.version, enabled: false }),
      resetJobAction({ id: job.id, version: job.version }),
      runJobAction({ id: job.id }),
      deleteJobAction({ id: job.id, version: job.version }),
    ]);
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await jobRow(job.id)).toEqual(before);
    // The actions' own checks, not only the services': they refuse before parsing the input.
    const malformed = { id: "nope", version: 1 } as never;
    for (const refused of [updateJobAction, setJobEnabledAction, resetJobAction, runJobAction, deleteJobAction]) {
      await expect(refused(malformed)).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
  });

  it("reset a failed job: active again, scheduled again, audited", async () => {
    const job = await createJob();
    await markFailed(job.id, 4);
    const result = await resetJobAction({ id: job.id, version: job.version });
    expect(result).toMatchObject({ ok: true, data: { id: job.id, health: "active", consecutiveFailures: 0 } });
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ health: "active", consecutiveFailures: 0 });
    expect(row?.nextRunAt).not.toBeNull();
    const reset = (await auditRows(job.id)).find((event) => event.action === "job.reset");
    expect(reset).toMatchObject({ actor: users.operator.email, changes: { health: { from: "failed", to: "active" }, consecutiveFailures: { from: 4, to: 0 } } });
  });

  it("refuse to reset a job that is not failed, or from a stale version", async () => {
    const job = await createJob();
    await expect(resetJobAction({ id: job.id, version: job.version })).resolves.toMatchObject({ ok: false, error: { code: "INVALID_STATE" } });
    await markFailed(job.id);
    await expect(resetJobAction({ id: job.id, version: job.version + 1 })).resolves.toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect(await jobRow(job.id)).toMatchObject({ health: "failed" });
  });
});
