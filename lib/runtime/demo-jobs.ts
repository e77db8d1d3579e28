// A few jobs to try the console with, created on the first start of the embedded database.
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createJob } from "@/lib/jobs/create";
import type { JobInput } from "@/lib/jobs/schemas";

export const DEMO_JOBS: JobInput[] = [
  {
    name: "Heartbeat (demo)",
    description: "Sleeps two seconds every five minutes.",
    type: "demo.sleep",
    params: { durationMs: 2000, steps: 4 },
    schedule: { type: "interval", everySeconds: 300 },
  },
  {
    name: "Nightly report (demo)",
    description: "A nightly run at 02:00 Berlin time that reports progress in ten steps.",
    type: "demo.sleep",
    params: { durationMs: 20_000, steps: 10 },
    schedule: { type: "cron", expression: "0 2 * * *", timezone: "Europe/Berlin" },
  },
  {
    name: "Flaky import (demo)",
    description: "Fails on purpose; retried twice. Run it by hand to see retries and failures.",
    type: "demo.sleep",
    params: { durationMs: 3000, steps: 3, fail: true },
    schedule: { type: "manual" },
    maxAttempts: 3,
    retryBackoffSeconds: 5,
  },
  {
    name: "Webhook ping (demo)",
    description: "Calls a URL every hour; disabled until you point it at a real endpoint.",
    type: "http.request",
    params: { method: "GET", url: "https://example.test/health" },
    schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" },
    enabled: false,
  },
];

export async function createDemoJobs(): Promise<void> {
  for (const input of DEMO_JOBS) await createJob({ actor: SYSTEM_ACTOR, input });
}
