// A small structured logger: one JSON line per event in production, readable lines in development.
import { env } from "@/lib/env";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

function write(level: Level, message: string, data?: Record<string, unknown>) {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(env.TICKWORK_LOG_LEVEL)) return;
  const stream = level === "error" || level === "warn" ? process.stderr : process.stdout;
  if (env.NODE_ENV === "production") {
    stream.write(JSON.stringify({ at: new Date().toISOString(), level, message, ...data }) + "\n");
  } else {
    stream.write(`[tickwork] ${level} ${message}${data ? " " + JSON.stringify(data) : ""}\n`);
  }
}

export const logger = {
  debug: (message: string, data?: Record<string, unknown>) => write("debug", message, data),
  info: (message: string, data?: Record<string, unknown>) => write("info", message, data),
  warn: (message: string, data?: Record<string, unknown>) => write("warn", message, data),
  error: (message: string, data?: Record<string, unknown>) => write("error", message, data),
};

/**
 * In production the server log is JSON lines only: what libraries print with console.* and the
 * process warnings Node writes itself (deprecations, say) become JSON lines too, with their source.
 * Called once at start (instrumentation); Next.js's start-up banner is printed before it.
 */
export function captureProcessOutput(): void {
  if (env.NODE_ENV !== "production") return;
  const globalForLog = globalThis as unknown as { tickworkConsoleCaptured?: boolean };
  if (globalForLog.tickworkConsoleCaptured) return;
  globalForLog.tickworkConsoleCaptured = true;
  const text = (args: unknown[]) =>
    args.map((arg) => (typeof arg === "string" ? arg : arg instanceof Error ? (arg.stack ?? arg.message) : safeInspect(arg))).join(" ");
  console.log = (...args: unknown[]) => write("info", text(args), { source: "console" });
  console.info = (...args: unknown[]) => write("info", text(args), { source: "console" });
  console.debug = (...args: unknown[]) => write("debug", text(args), { source: "console" });
  console.warn = (...args: unknown[]) => write("warn", text(args), { source: "console" });
  console.error = (...args: unknown[]) => write("error", text(args), { source: "console" });
  // Node's own printer is a 'warning' listener; ours replaces it.
  process.removeAllListeners("warning");
  process.on("warning", (warning) => write("warn", warning.message, { source: "process", name: warning.name, stack: warning.stack }));
}

function safeInspect(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
