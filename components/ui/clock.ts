"use client";
// Ticking clocks shared by every relative time on the page. Before hydration the server's time is
// used, so the first client render matches the HTML.
import { useSyncExternalStore } from "react";

/**
 * A shared clock ticking every `tickMs` for all its readers on the page: every 15 s is right for
 * "in 3 hours", every second for "started 12 s ago".
 */
function tickingClock(tickMs: number): (serverNow: number) => number {
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
      }, tickMs);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }

  return function useClock(serverNow: number): number {
    return useSyncExternalStore(subscribe, () => now, () => serverNow);
  };
}

export const useNow = tickingClock(15_000);
export const useSecondClock = tickingClock(1000);

const noSubscription = () => () => {};

/** False while hydrating, true after: for output that depends on the browser (its time zone). */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
