// The one wrapper every server action uses: the signed-in actor, the role check, parsing with the
// domain's zod schema, the service call, and a serialisable result. It is the action-side twin of
// lib/http/route.ts: same schemas, same services, DomainError mapped to `{ ok: false, error }`.
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { requireRole } from "@/lib/auth/guard";
import type { Actor, Role } from "@/lib/auth/roles";
import { currentActor } from "@/lib/auth/session";
import { DomainError, validationError, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";
import { assertStorable } from "@/lib/storable";

export interface ActionError {
  code: ErrorCode;
  message: string;
  details?: unknown[];
  field?: string;
  retryable?: boolean;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

interface ActionOptions<S extends z.ZodType> {
  /** For the log line when something unexpected happens, e.g. "jobs.update". */
  name: string;
  /** The least role allowed; the service checks again, this answers before parsing anything. */
  role: Role;
  input: S;
  /** Paths whose server-rendered pages (and the pages under them) show what the action changes. */
  revalidate?: string[];
}

type Handler<S extends z.ZodType, T> = (args: { actor: Actor; input: z.output<S> }) => Promise<T>;

export function action<S extends z.ZodType, T>(options: ActionOptions<S>, handler: Handler<S, T>) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    try {
      const actor = requireRole(await currentActor(), options.role);
      const data = await handler({ actor, input: parse(options.input, input) });
      for (const path of options.revalidate ?? []) revalidatePath(path, "layout");
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error);
      return { ok: false, error: toActionError(error, options.name) };
    }
  };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  assertStorable(input);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

export function toActionError(error: unknown, actionName: string): ActionError {
  if (error instanceof DomainError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(error.field ? { field: error.field } : {}),
      ...(error.retryable !== undefined ? { retryable: error.retryable } : {}),
    };
  }
  logger.error("Unhandled error in a server action", {
    action: actionName,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return { code: "INTERNAL", message: "Something went wrong on our side; it has been logged", retryable: true };
}
