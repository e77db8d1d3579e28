// The contract's response and error shapes.
import { DomainError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { logger } from "@/lib/log";

export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: init.headers });
}

export function errorBody(code: ErrorCode, message: string, extra: { details?: unknown[]; field?: string; retryable?: boolean } = {}) {
  return {
    error: {
      code,
      message,
      ...(extra.details ? { details: extra.details } : {}),
      ...(extra.field ? { field: extra.field } : {}),
      ...(extra.retryable !== undefined ? { retryable: extra.retryable } : {}),
    },
  };
}

export function errorResponse(error: unknown, extraHeaders: Record<string, string> = {}): Response {
  if (error instanceof DomainError) {
    const headers: Record<string, string> = { ...extraHeaders };
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    return json(errorBody(error.code, error.message, error), { status: error.status, headers });
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn("A request found the database unreachable", { error: error instanceof Error ? error.message : String(error) });
    return json(errorBody("UNAVAILABLE", "The database cannot be reached right now; try again in a few seconds", { retryable: true }), {
      status: ERROR_STATUS.UNAVAILABLE,
      headers: { "retry-after": "5" },
    });
  }
  logger.error("Unhandled error in a request", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return json(errorBody("INTERNAL", "Something went wrong on our side; it has been logged", { retryable: true }), {
    status: ERROR_STATUS.INTERNAL,
  });
}
