"use client";
// A clock that ticks every second, for "started 12 seconds ago" and "updated 5 s ago". (The
// console's shared clock ticks every 15 s, which is right for "in 3 hours" but not for these.)
// Before hydration the server's time is used, so the first client render matches the HTML.
import { useSyncExternalStore } from "react";

let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useSecondClock(serverNow: number): number {
  return useSyncExternalStore(subscribe, () => now, () => serverNow);
}
