// The notifier's settings in one object, read from the environment once; tests build their own.
import { env } from "@/lib/env";

export interface NotifierConfig {
  /** Deliveries this instance sends at once (its own pool: a slow endpoint never holds a worker slot). */
  concurrency: number;
  /** One attempt's deadline. */
  timeoutMs: number;
  /** Attempts before a delivery is failed. */
  maxAttempts: number;
  /** The wait after the first failed attempt; each next one waits three times as long. */
  backoffMs: number;
  /** How often the outbox is polled for due deliveries. */
  pollMs: number;
  /** A scheduled run not started this long after its time is late. */
  lateAfterMs: number;
  /** How often late runs are looked for. */
  lateCheckMs: number;
}

let fromEnv: NotifierConfig | undefined;

export function notifierConfig(overrides: Partial<NotifierConfig> = {}): NotifierConfig {
  fromEnv ??= {
    concurrency: env.TICKWORK_NOTIFY_CONCURRENCY,
    timeoutMs: env.TICKWORK_NOTIFY_TIMEOUT_SECONDS * 1000,
    maxAttempts: 5,
    backoffMs: 10_000,
    pollMs: 1000,
    lateAfterMs: 60_000,
    lateCheckMs: 5000,
  };
  return { ...fromEnv, ...overrides };
}

/** 10 s, 30 s, 90 s, 270 s with the defaults: about seven minutes from the first attempt to the fifth. */
export const backoffAfter = (config: Pick<NotifierConfig, "backoffMs">, attempts: number) => config.backoffMs * 3 ** (attempts - 1);

/** How long a claimed delivery is reserved for its sender: past it, another sender may take it (its sender died). */
export const leaseMs = (config: Pick<NotifierConfig, "timeoutMs">) => config.timeoutMs + 5000;
