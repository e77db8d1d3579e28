// How a run log's levels look, in the details modal's Logs tab and on the Runs page's cards:
// warnings and errors are set apart by colour and by a label and a mark, never by colour alone.
import type { LogLine } from "@/lib/events/types";

export type LogLevel = LogLine["level"];
export const LOG_LEVELS: LogLevel[] = ["info", "warn", "error", "stdout", "stderr"];

export const LEVEL_LOOK: Record<LogLevel, { label: string; mark: string; tone: "plain" | "warn" | "danger" }> = {
  info: { label: "info", mark: "", tone: "plain" },
  stdout: { label: "stdout", mark: "", tone: "plain" },
  warn: { label: "warn", mark: "⚠", tone: "warn" },
  error: { label: "error", mark: "✖", tone: "danger" },
  stderr: { label: "stderr", mark: "✖", tone: "danger" },
};
