"use client";
// Keeps the jobs page current while it is open: changes by other people and runs that start or
// finish arrive on GET /api/events, and a throttled router.refresh() re-renders the server data.
// A refresh keeps client state, so open forms, drafts and focus are untouched.
import { startTransition, useEffect, useState } from "react";
import { useRouter } from "next/navigation";

const REFRESH_ON = ["job.changed", "job.deleted", "execution.queued", "execution.started", "execution.finished"];
const MIN_GAP_MS = 2000;

type Status = "connecting" | "live" | "reconnecting";

export function LiveRefresh() {
  const router = useRouter();
  const [status, setStatus] = useState<Status>("connecting");

  useEffect(() => {
    const source = new EventSource("/api/events");
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRefresh = 0;
    const refreshSoon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        lastRefresh = Date.now();
        startTransition(() => router.refresh());
      }, Math.max(0, lastRefresh + MIN_GAP_MS - Date.now()));
    };
    source.addEventListener("open", () => setStatus("live"));
    // EventSource reconnects by itself (the server asks for 2 s) and resumes from the last event id.
    source.addEventListener("error", () => setStatus("reconnecting"));
    for (const name of REFRESH_ON) source.addEventListener(name, refreshSoon);
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [router]);

  return (
    <p className={`live-status live-${status}`} title="The list refreshes itself when jobs change or runs start and finish" data-testid="live-status">
      <span className="live-dot" aria-hidden="true" />
      {status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Reconnecting…"}
    </p>
  );
}
