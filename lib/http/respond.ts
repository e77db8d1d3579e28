// The contract's response and error shapes.
import { DomainError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
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
  logger.error("Unhandled error in a request", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return json(errorBody("INTERNAL", "Something went wrong on our side; it has been logged", { retryable: true }), {
    status: ERROR_STATUS.INTERNAL,
  });
}
