// How a handler ends its run with an error code of its own (BLOCKED_ADDRESS, …) instead of
// HANDLER_ERROR: throw a HandlerError. The worker maps any other error to HANDLER_ERROR.
import { describeThrown } from "@/lib/storable";

export class HandlerError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "HandlerError";
    this.code = code;
  }
}

/** The error code and message a failed run records for what its handler threw. */
export function failureOf(error: unknown): { code: string; message: string } {
  // By shape as well as class: the worker and a handler may come from different bundles.
  if (error instanceof HandlerError || (error instanceof Error && error.name === "HandlerError" && typeof (error as HandlerError).code === "string")) {
    return { code: (error as HandlerError).code, message: error.message };
  }
  return { code: "HANDLER_ERROR", message: describeThrown(error) };
}
