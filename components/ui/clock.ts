"use client";
// One ticking clock for every relative time on the page. Before hydration the server's time is
// used, so the first client render matches the HTML.
import { useSyncExternalStore } from "react";

const TICK_MS = 15_000;
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
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(serverNow: number): number {
  return useSyncExternalStore(subscribe, () => now, () => serverNow);
}

const noSubscription = () => () => {};

/** False while hydrating, true after: for output that depends on the browser (its time zone). */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
