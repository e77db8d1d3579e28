// Whether an error means "the database cannot be reached right now" (a restart, a failover,
// severed connections, an exhausted pool) rather than a bug: such requests answer 503 UNAVAILABLE
// with Retry-After, and the engine waits instead of giving up.

/** Node socket errors, and pg's messages for a connection that went away. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** Prisma's codes: cannot reach, timed out, server closed the connection, pool timeout. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart), 53300 too many connections. */
const SQLSTATE = /^(08|57P0[1-4]|53300)/;
const MESSAGES = /Connection terminated|connection (?:was )?closed|Client has encountered a connection error|the database system is (?:starting up|shutting down)|Can't reach database server|terminating connection due to administrator command/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (typeof current !== "object") return false;
    const { code, message, cause, originalCode } = current as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    for (const value of [code, originalCode]) {
      if (typeof value !== "string") continue;
      if (NETWORK_CODES.has(value) || PRISMA_CODES.has(value) || SQLSTATE.test(value)) return true;
    }
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}
