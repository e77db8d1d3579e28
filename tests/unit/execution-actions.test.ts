// The execution server actions refuse what the API refuses, before any service runs: viewers may
// not cancel or enqueue, operators may not clean up stalled runs, and ids must be uuids.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/roles";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ currentActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { cancelExecutionAction, cleanupStalledAction, enqueueAction } = await import("@/app/(console)/executions/actions");

const user = (role: Actor["role"]): Actor => ({ kind: "user", id: "00000000-0000-4000-8000-000000000001", name: `${role}@example.test`, role });
const SOME_ID = "00000000-0000-4000-8000-000000000009";

describe("execution actions", () => {
  beforeEach(() => {
    session.actor = user("viewer");
  });

  it("refuse a viewer's cancel and enqueue", async () => {
    await expect(cancelExecutionAction({ id: SOME_ID })).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await expect(enqueueAction({ type: "demo.sleep", params: {} })).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("refuse an operator's stalled cleanup (admins only)", async () => {
    session.actor = user("operator");
    await expect(cleanupStalledAction({})).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // The action's own check, not only the service's: it refuses before parsing the input.
    await expect(cleanupStalledAction({ surprise: 1 } as never)).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    session.actor = user("viewer");
    await expect(cleanupStalledAction({})).resolves.toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("refuse callers without a session", async () => {
    session.actor = null;
    await expect(cancelExecutionAction({ id: SOME_ID })).resolves.toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
    await expect(cleanupStalledAction({})).resolves.toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
  });

  it("name an execution by uuid", async () => {
    session.actor = user("operator");
    await expect(cancelExecutionAction({ id: "42" })).resolves.toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", field: "id" } });
  });

  it("parse enqueue with the API's schema", async () => {
    session.actor = user("operator");
    const result = await enqueueAction({ type: "demo.sleep", params: {}, surprise: true } as never);
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "surprise" }] } });
  });
});
