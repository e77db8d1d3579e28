// Runs a handler for one execution and turns what it returns or throws into the run's outcome.
// {{secrets.NAME}} in the stored params are resolved here, inside the worker and nowhere else; the
// handler gets the resolved params, and its result, error, progress and log lines are scrubbed of
// the resolved values before anything stores, publishes or logs them.
import type { Outcome } from "@/lib/engine/complete";
import { resolveSecrets } from "@/lib/secrets/resolve";
import { failureOf } from "./errors";
import type { HandlerContext, HandlerLogger, JobHandler } from "./types";

export async function invokeHandler(handler: JobHandler, storedParams: unknown, context: Omit<HandlerContext<unknown>, "params">): Promise<Outcome> {
  let scrub = <T>(value: T) => value;
  try {
    const resolved = await resolveSecrets(storedParams);
    scrub = resolved.scrub;
    const parsed = handler.params.safeParse(resolved.params);
    // Not retried: the same params would fail the same way.
    if (!parsed.success) return { status: "FAILED", code: "INVALID_PARAMS", message: scrub(parsed.error.message) };
    const result = await handler.run({
      ...context,
      params: parsed.data,
      progress: (percent, message) => context.progress(percent, message === undefined ? undefined : scrub(message)),
      log: scrubbedLogger(context.log, scrub),
    });
    return { status: "SUCCEEDED", result: scrub(result) };
  } catch (error) {
    const { code, message } = failureOf(error);
    return { status: "FAILED", code, message: scrub(message) };
  }
}

function scrubbedLogger(log: HandlerLogger, scrub: <T>(value: T) => T): HandlerLogger {
  return {
    info: (message, data) => log.info(scrub(message), scrub(data)),
    warn: (message, data) => log.warn(scrub(message), scrub(data)),
    error: (message, data) => log.error(scrub(message), scrub(data)),
    output: (stream, line) => log.output(stream, scrub(line)),
  };
}
