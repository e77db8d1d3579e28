// The server action wrapper: who may call, what it parses, and how failures reach the browser.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Actor } from "@/lib/auth/roles";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ currentActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { revalidatePath } = await import("next/cache");
const { redirect } = await import("next/navigation");
const { action } = await import("@/lib/actions/action");
const { DomainError } = await import("@/lib/errors");
const { logger } = await import("@/lib/log");
const { updateJobAction, setJobEnabledAction } = await import("@/app/(console)/jobs/actions");

const user = (role: Actor["role"]): Actor => ({ kind: "user", id: "00000000-0000-4000-8000-000000000001", name: `${role}@example.test`, role });
const Input = z.strictObject({ name: z.string().min(1) });

describe("action()", () => {
  beforeEach(() => {
    session.actor = user("operator");
    vi.mocked(revalidatePath).mockClear();
  });

  it("calls the handler with the actor and the parsed input, then revalidates", async () => {
    const handler = vi.fn(async ({ actor, input }: { actor: Actor; input: { name: string } }) => `${actor.name}:${input.name}`);
    const create = action({ name: "test.create", role: "operator", input: Input, revalidate: ["/jobs"] }, handler);

    await expect(create({ name: "backup" })).resolves.toEqual({ ok: true, data: "operator@example.test:backup" });
    expect(revalidatePath).toHaveBeenCalledWith("/jobs", "layout");
  });

  it("refuses a viewer before parsing or calling anything", async () => {
    session.actor = user("viewer");
    const handler = vi.fn();
    const create = action({ name: "test.create", role: "operator", input: Input, revalidate: ["/jobs"] }, handler);

    const result = await create({ name: "" });

    expect(result).toEqual({ ok: false, error: { code: "FORBIDDEN", message: "This needs the operator role; you have viewer" } });
    expect(handler).not.toHaveBeenCalled();
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("answers UNAUTHENTICATED without a session", async () => {
    session.actor = null;
    const result = await action({ name: "test", role: "viewer", input: Input }, vi.fn())({ name: "x" });
    expect(result).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
  });

  it("answers VALIDATION_FAILED with the contract's details and field", async () => {
    const result = await action({ name: "test", role: "operator", input: Input }, vi.fn())({ name: "", extra: 1 } as never);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", field: "name", details: [{ path: "name" }, { path: "extra", message: 'Unknown field "extra"' }] },
    });
  });

  it("refuses text PostgreSQL cannot store, as the API does", async () => {
    const result = await action({ name: "test", role: "operator", input: Input }, vi.fn())({ name: "a\0b" });
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "name" }] } });
  });

  it("maps a DomainError to its code, message, details and field", async () => {
    const failing = action({ name: "test", role: "operator", input: Input }, async () => {
      throw new DomainError("CONFLICT", "A job named \"x\" already exists", { field: "name", details: [{ path: "name", message: "taken" }] });
    });
    await expect(failing({ name: "x" })).resolves.toEqual({
      ok: false,
      error: { code: "CONFLICT", message: 'A job named "x" already exists', field: "name", details: [{ path: "name", message: "taken" }] },
    });
  });

  it("turns an unknown error into INTERNAL, logs its message and never returns it", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    const failing = action({ name: "test.boom", role: "operator", input: Input }, async () => {
      throw new Error("connection to 10.0.0.5 refused: password for tickwork");
    });

    const result = await failing({ name: "x" });

    expect(result).toEqual({ ok: false, error: { code: "INTERNAL", message: "Something went wrong on our side; it has been logged", retryable: true } });
    expect(JSON.stringify(result)).not.toContain("10.0.0.5");
    expect(logged).toHaveBeenCalledWith("Unhandled error in a server action", expect.objectContaining({ action: "test.boom", error: expect.stringContaining("10.0.0.5") }));
    logged.mockRestore();
  });

  it("lets Next.js control flow (redirect) through instead of reporting it as an error", async () => {
    const redirecting = action({ name: "test", role: "operator", input: Input }, async () => redirect("/login"));
    await expect(redirecting({ name: "x" })).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
  });
});

describe("the jobs actions' inputs", () => {
  beforeEach(() => {
    session.actor = user("operator");
  });

  it("require the version an edit started from", async () => {
    const result = await updateJobAction({ id: "00000000-0000-4000-8000-000000000002", name: "renamed" } as never);
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", field: "version" } });
  });

  it("name a job by uuid", async () => {
    const result = await setJobEnabledAction({ id: "not-a-uuid", version: 1, enabled: true });
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", field: "id" } });
  });
});
