"use client";
import { useHydrated, useNow } from "./clock";
import { formatInZone, formatRelative, formatUtc } from "./time-format";

export function RelativeTime({ iso, serverNow }: { iso: string; serverNow: number }) {
  const now = useNow(serverNow);
  const hydrated = useHydrated();
  const date = new Date(iso);
  const exact = hydrated ? `${formatInZone(date, undefined, { seconds: true })} (${formatUtc(date)})` : formatUtc(date);
  return (
    <time dateTime={iso} title={exact}>
      {formatRelative(date, now)}
    </time>
  );
}
