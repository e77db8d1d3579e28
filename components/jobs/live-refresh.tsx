"use client";
// Keeps the jobs pages current while they are open: changes by other people and runs that start
// or finish arrive on the console's event stream, and a throttled router.refresh() re-renders the
// server data. A refresh keeps client state, so open forms, drafts and focus are untouched.
import { useRef } from "react";
import { useStreamEvent } from "@/components/events/event-stream";
import { LiveStatus } from "@/components/events/live-status";
import { useThrottledRefresh } from "@/components/events/use-throttled-refresh";

const MIN_GAP_MS = 2000;

export function LiveRefresh() {
  const refreshSoon = useThrottledRefresh(MIN_GAP_MS);
  const seenSnapshot = useRef(false);
  useStreamEvent("job.changed", refreshSoon);
  useStreamEvent("job.deleted", refreshSoon);
  useStreamEvent("execution.queued", refreshSoon);
  useStreamEvent("execution.started", refreshSoon);
  useStreamEvent("execution.finished", refreshSoon);
  // A reconnect's snapshot: whatever changed while away is caught up.
  useStreamEvent("snapshot", () => {
    if (seenSnapshot.current) refreshSoon();
    seenSnapshot.current = true;
  });
  return <LiveStatus title="The list refreshes itself when jobs change or runs start and finish" />;
}
