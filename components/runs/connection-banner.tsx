"use client";
// Whether the runs page is live: a dot in the header, and a banner while the event stream is
// down (the browser keeps reconnecting), with a warning once the page has been stale a minute,
// or a way to sign in again once the session has ended.
import { useSecondClock } from "@/components/ui/clock";
import { useConnection, useEventStream } from "@/components/events/event-stream";
import { LiveStatus as StreamStatus, SignedOut } from "@/components/events/live-status";

export const STALE_AFTER_MS = 60_000;

export function LiveStatus() {
  return <StreamStatus title="Active runs arrive as they happen from the event stream" />;
}

export function ConnectionBanner() {
  const { connection, offlineSince } = useConnection();
  const offline = connection !== "live" && offlineSince !== null;
  // The role="status" container is always there, so screen readers notice when text appears in it.
  return (
    <div role="status" className="runs-connection" data-testid="connection-banner">
      {connection === "signed-out" ? (
        <div className="callout warn">
          <p className="callout-title">
            <span aria-hidden="true">⚠ </span>
            <SignedOut />
          </p>
          <p>Live updates stopped; the data on this page may be out of date.</p>
        </div>
      ) : offline ? (
        <Reconnecting offlineSince={offlineSince} />
      ) : null}
    </div>
  );
}

/** Ticks only while shown: the stale warning appears a minute after the stream went away. */
function Reconnecting({ offlineSince }: { offlineSince: number }) {
  const { hub } = useEventStream();
  const now = useSecondClock(0);
  const stale = now - offlineSince >= STALE_AFTER_MS;
  return (
    <div className="callout warn">
      <p className="callout-title">
        <span aria-hidden="true">⚠ </span>Live updates paused, reconnecting…
      </p>
      <p>Active runs and history will catch up as soon as the connection is back.</p>
      {stale ? (
        <p className="runs-stale" data-testid="stale-warning">
          The data on this page may be out of date — last update {hub.lastEventAt ? clockTime(hub.lastEventAt) : "when the page loaded"}.
        </p>
      ) : null}
    </div>
  );
}

const clockTime = (at: number) => new Date(at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
