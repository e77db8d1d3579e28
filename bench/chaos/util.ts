// Small helpers shared by the chaos run's parts.
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "n/a");

export const floorSecond = (t: number) => Math.floor(t / 1000) * 1000;
export const ceilSecond = (t: number) => Math.ceil(t / 1000) * 1000;

/** Runs `work` over `items` with at most `limit` at once. */
export async function eachLimit<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  });
  await Promise.all(lanes);
}

type Log = (message: string) => void;
let waitLog: Log = (message) => console.log(message);
/** Where `within` and `waitUntil` report waits that take long (the run's timestamped log). */
export function setWaitLog(log: Log): void {
  waitLog = log;
}

/** What the harness is waiting for right now, so a deadline or the watchdog can say so. */
export const waiting = new Map<number, { what: string; since: number; deadline: number }>();
let nextWait = 0;
const PROGRESS_MS = 15_000;

export class WaitTimeout extends Error {}

/**
 * Every wait of the harness goes through here: `work` gets `ms`, a wait that lasts is reported
 * every 15 s ("still waiting for …"), and one past its deadline rejects with what it waited for
 * (the work itself is left behind; the run then fails and cleans up instead of hanging).
 */
export async function within<T>(what: string, ms: number, work: () => Promise<T>): Promise<T> {
  const id = nextWait++;
  const since = Date.now();
  waiting.set(id, { what, since, deadline: since + ms });
  let timer: NodeJS.Timeout | undefined;
  const progress = setInterval(() => waitLog(`still waiting for ${what} (${Math.round((Date.now() - since) / 1000)} s of ${Math.round(ms / 1000)} s)`), PROGRESS_MS);
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WaitTimeout(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    clearInterval(progress);
    waiting.delete(id);
  }
}

/** Lists the waits in progress, longest first ("nothing" when none). */
export function describeWaits(): string {
  const now = Date.now();
  const list = [...waiting.values()].sort((a, b) => a.since - b.since);
  return list.map((wait) => `${wait.what} (for ${Math.round((now - wait.since) / 1000)} s, deadline in ${Math.round((wait.deadline - now) / 1000)} s)`).join("; ") || "nothing";
}

/**
 * Polls `probe` until it returns true or the time is up; returns whether it did. Each probe gets
 * at most `everyMs` + 15 s, and never much past the deadline (a probe that hangs counts as false);
 * a long wait is reported.
 */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const since = Date.now();
  let reported = since;
  let lastError = "";
  for (;;) {
    const probeMs = Math.max(1000, Math.min(everyMs + PROGRESS_MS, deadline - Date.now() + 1000));
    const ok = await within(`one probe of ${what}`, probeMs, probe).catch((error) => {
      lastError = String(error).slice(0, 200);
      return false;
    });
    if (ok) return true;
    if (Date.now() > deadline) return false;
    if (Date.now() - reported >= PROGRESS_MS) {
      reported = Date.now();
      waitLog(`still waiting for ${what} (${Math.round((Date.now() - since) / 1000)} s of ${Math.round(timeoutMs / 1000)} s)${lastError ? `; last probe: ${lastError}` : ""}`);
    }
    await sleep(everyMs);
  }
}
