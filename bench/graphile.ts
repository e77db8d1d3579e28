// graphile-worker on the same database server and machine, draining the same number of no-op
// jobs with the same concurrency, so the drain figure has a reference: unbatched (its defaults),
// or batched as its own performance page sets it (a local queue of 500, completions and failures
// batched with no delay).
import { Logger, makeWorkerUtils, run } from "graphile-worker";
import pg from "pg";

const silent = new Logger(() => () => undefined);

export async function graphileDrain(url: string, count: number, concurrency: number, batched = false): Promise<number> {
  // Our own pool, so it can be closed before the database is dropped.
  const pgPool = new pg.Pool({ connectionString: url, max: concurrency + 2 });
  pgPool.on("error", () => undefined);
  pgPool.on("connect", (client) => client.on("error", () => undefined));
  const utils = await makeWorkerUtils({ pgPool, logger: silent });
  await utils.migrate();
  for (let offset = 0; offset < count; offset += 5000) {
    const size = Math.min(5000, count - offset);
    await utils.addJobs(Array.from({ length: size }, () => ({ identifier: "noop", payload: {} })));
  }
  await utils.release();
  let done = 0;
  const started = performance.now();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const runner = await run({
    pgPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: { noop: async () => undefined },
    ...(batched ? { preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } } } : {}),
    logger: silent,
  });
  runner.events.on("job:success", () => {
    done += 1;
    if (done === count) finish();
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  await pgPool.end();
  return count / seconds;
}
