"use client";
// Whether the runs page is live: a dot in the header, and a banner while the event stream is
// down (the browser keeps reconnecting), with a warning once the page has been stale a minute.
import { useSecondClock } from "@/components/ui/clock";
import { useRunsStream } from "./runs-stream";

export const STALE_AFTER_MS = 60_000;

export function LiveStatus() {
  const { connection } = useRunsStream();
  return (
    <p className={`live-status live-${connection}`} data-testid="live-status" title="Active runs arrive as they happen from the event stream">
      <span className="live-dot" aria-hidden="true" />
      {connection === "live" ? "Live" : connection === "connecting" ? "Connecting…" : "Reconnecting…"}
    </p>
  );
}

export function ConnectionBanner() {
  const { connection, offlineSince, lastUpdateAt } = useRunsStream();
  const now = useSecondClock(0);
  const offline = connection !== "live" && offlineSince !== null;
  const stale = offline && now - offlineSince >= STALE_AFTER_MS;
  // The role="status" container is always there, so screen readers notice when text appears in it.
  return (
    <div role="status" className="runs-connection" data-testid="connection-banner">
      {offline ? (
        <div className="callout warn">
          <p className="callout-title">
            <span aria-hidden="true">⚠ </span>Live updates paused, reconnecting…
          </p>
          <p>Active runs and history will catch up as soon as the connection is back.</p>
          {stale ? (
            <p className="runs-stale" data-testid="stale-warning">
              The data on this page may be out of date — last update {lastUpdateAt ? clockTime(lastUpdateAt) : "when the page loaded"}.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

const clockTime = (at: number) => new Date(at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
