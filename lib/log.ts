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
