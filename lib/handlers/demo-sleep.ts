// demo.sleep: waits, reporting progress in steps, and can fail on purpose. For trying the console.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { JobHandler } from "./types";

const params = z.strictObject({
  durationMs: z.number().int().min(0).max(24 * 60 * 60 * 1000).default(5000),
  steps: z.number().int().min(1).max(1000).default(5),
  fail: z.boolean().default(false).describe("Throw an error at the end instead of succeeding"),
  failMessage: z.string().max(500).default("demo.sleep was asked to fail"),
  ignoreCancel: z.boolean().default(false).describe("Keep sleeping after cancel, to see a forced cancel"),
});

export const demoSleep = {
  type: "demo.sleep",
  description: "Sleeps for a while, reporting progress in steps; can fail on purpose. Useful to try the console.",
  examples: [
    { title: "Ten seconds in five steps", params: { durationMs: 10_000, steps: 5 } },
    { title: "Fail after two seconds", params: { durationMs: 2000, steps: 2, fail: true } },
  ],
  defaultParams: { durationMs: 5000, steps: 5 },
  params,
  async run({ params, signal, progress, log }) {
    const stepMs = params.durationMs / params.steps;
    for (let step = 1; step <= params.steps; step++) {
      await sleep(stepMs, undefined, params.ignoreCancel ? {} : { signal });
      progress(Math.round((step / params.steps) * 100), `Step ${step}/${params.steps}`);
      if (params.steps <= 100 || step % Math.ceil(params.steps / 100) === 0) log.info(`Step ${step}/${params.steps} done`);
    }
    if (params.fail) {
      log.error(params.failMessage);
      throw new Error(params.failMessage);
    }
    return { sleptMs: params.durationMs, steps: params.steps };
  },
} satisfies JobHandler<typeof params>;
