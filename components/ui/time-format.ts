// Times for people: relative ("in 5 minutes") with the exact time on hover.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function formatRelative(date: Date, now: number): string {
  const diff = date.getTime() - now;
  const size = Math.abs(diff);
  if (size < 5_000) return "now";
  for (const [unit, length] of UNITS) {
    if (size >= length || unit === "second") return relativeFormat.format(Math.round(diff / length), unit);
  }
  return relativeFormat.format(Math.round(diff / 1000), "second");
}

/** The same on the server and in every browser, so it can be rendered before hydration. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** In a time zone (the browser's when omitted), with the zone's UTC offset. */
export function formatInZone(date: Date, timeZone?: string, { seconds = false } = {}): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(date);
}

/** "GMT+02:00": the zone's offset from UTC at that instant. */
export function utcOffset(date: Date, timeZone?: string): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(date)
    .find((piece) => piece.type === "timeZoneName");
  return part?.value === "GMT" ? "GMT+00:00" : (part?.value ?? "");
}

/**
 * "850 ms", "12.4 s", "3 min 5 s", "2 h 4 min". `coarse` for times that tick on screen (a live
 * run's age, the stats' medians): "12 s", "3 min", "2 h 5 min", and "0 s" for nothing at all.
 */
export function formatDuration(ms: number, { coarse = false }: { coarse?: boolean } = {}): string {
  const value = Math.max(0, ms);
  if (value < 1000 && !(coarse && value === 0)) return `${Math.round(value)} ms`;
  if (!coarse && value < 59_950) return `${(value / 1000).toFixed(1)} s`;
  const seconds = Math.round(value / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return coarse ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = coarse ? Math.floor(seconds / 60) : Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "2026-11-22T14:05" in the browser's time zone, for <input type="datetime-local">. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (value: number) => String(value).padStart(2, "0");
  const base = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return date.getSeconds() ? `${base}:${pad(date.getSeconds())}` : base;
}

/** A datetime-local value (the browser's time zone) as an ISO instant; unparseable text is returned as is, for the server to refuse. */
export function fromLocalInput(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** A whole minute `offsetMs` from now (rounded down), as a datetime-local default. */
export const minuteFromNow = (offsetMs: number) => toLocalInput(new Date(Math.floor((Date.now() + offsetMs) / 60_000) * 60_000).toISOString());
