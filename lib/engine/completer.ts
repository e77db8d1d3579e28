// Collects the worker's finished executions and writes them in batches, a few at once: while they
// commit, the next ones fill up, so commits per execution fall as load rises. No outcome is dropped: a
// batch that fails while the database is unreachable is retried with backoff until it is back; a
// batch that fails while the database answers is split until the row that fails is alone, and
// that row is written in a safe form (marked) so the others commit.
import { getPrisma } from "@/lib/db";
import { logger } from "@/lib/log";
import { describeThrown } from "@/lib/storable";
import { completeExecutions, type Completion, type CompletionRequest } from "./complete";
import type { EngineConfig } from "./config";

interface Pending {
  request: CompletionRequest;
  resolve: (completion: Completion | null) => void;
}

/** Tries of one row as it is before it is stored in its safe form, and then of its safe form. */
const TRIES_BEFORE_SAFE_FORM = 3;
const TRIES_OF_SAFE_FORM = 10;

export interface Completer {
  complete(request: CompletionRequest): Promise<Completion | null>;
  /** From now on, a write still failing after `ms` is given up (at shutdown; the stalled sweep ends those runs). */
  giveUpAfter(ms: number): void;
  /** Resolves once everything handed in so far is written or given up on. */
  drain(): Promise<void>;
  pending(): number;
}

export function createCompleter(config: Pick<EngineConfig, "completeBatch" | "completeWriters" | "completeRetryMs">): Completer {
  const queue: Pending[] = [];
  let giveUpAt = Infinity;

  const backoff = (attempt: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.min(config.completeRetryMs.max, config.completeRetryMs.first * 2 ** attempt)));

  /** Writes `batch`; returns the completions, or null for rows given up on (only past a drain deadline). */
  const write = async (batch: CompletionRequest[]): Promise<Completion[]> => {
    let safe = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await completeExecutions(batch);
      } catch (error) {
        if (Date.now() > giveUpAt) {
          logger.error("Giving up on recording finished executions at shutdown; the stalled sweep will end them", {
            ids: batch.map((request) => request.id),
            error: describeThrown(error),
          });
          return [];
        }
        if (!(await databaseAnswers())) {
          if (attempt === 0) logger.warn("Database unreachable; finished executions wait to be recorded", { count: batch.length });
          await backoff(attempt);
          continue;
        }
        if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          return [...(await write(batch.slice(0, half))), ...(await write(batch.slice(half)))];
        }
        if (attempt + 1 < TRIES_BEFORE_SAFE_FORM) {
          await backoff(attempt);
          continue;
        }
        if (!safe) {
          logger.error("Storing a finished execution in its safe form", { id: batch[0].id, error: describeThrown(error) });
          batch = [safeForm(batch[0], error)];
          safe = true;
          attempt = -1;
          continue;
        }
        // Not the data: a database that answers SELECT 1 but fails this write (a full disk, a lock
        // that never comes). Past a limit the row is given up, so it cannot hold the worker's slots
        // and the completions behind it forever: its heartbeat stops, and the stalled sweep ends it.
        if (attempt + 1 >= TRIES_OF_SAFE_FORM) {
          logger.error("Giving up on recording a finished execution; the stalled sweep will end it", { id: batch[0].id, error: describeThrown(error) });
          return [];
        }
        await backoff(attempt);
      }
    }
  };

  // Up to `completeWriters` batches are written at once: a batch's transaction spends most of its
  // time waiting for round trips, and one writer alone caps a worker near batch size / that time.
  // Batches hold different executions and lock their jobs in id order, like two instances would.
  let writing = 0;
  const idle = new Set<() => void>();
  const startWriter = () => {
    const batch = queue.splice(0, config.completeBatch);
    writing += 1;
    void write(batch.map((item) => item.request))
      .then((completions) => {
        const byId = new Map(completions.map((completion) => [completion.execution.id, completion]));
        for (const item of batch) item.resolve(byId.get(item.request.id) ?? null);
      })
      .finally(() => {
        writing -= 1;
        schedule();
        if (writing > 0 || queue.length > 0) return;
        for (const resolve of idle) resolve();
        idle.clear();
      });
  };

  // Outcomes handed in together (runs that end in the same turn) share one batch.
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (queue.length > 0 && writing < config.completeWriters) startWriter();
    });
  };

  return {
    complete(request) {
      return new Promise((resolve) => {
        queue.push({ request, resolve });
        schedule();
      });
    },
    giveUpAfter(ms) {
      giveUpAt = Date.now() + ms;
    },
    async drain() {
      if (writing === 0 && queue.length === 0) return;
      await new Promise<void>((resolve) => idle.add(resolve));
    },
    pending: () => queue.length,
  };
}

/** The outcome in ASCII without the handler's result, marked, for a row the database refused as it was. */
function safeForm(request: CompletionRequest, error: unknown): CompletionRequest {
  const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 1000);
  const reason = `The database refused this outcome as it was: ${ascii(describeThrown(error))}`;
  const { outcome } = request;
  const safe =
    outcome.status === "SUCCEEDED"
      ? { status: outcome.status, result: { unstorable: true, reason } }
      : outcome.status === "FAILED"
        ? { status: outcome.status, code: ascii(outcome.code).slice(0, 100), message: `${ascii(outcome.message)} (${reason})` }
        : { status: outcome.status, message: `${ascii(outcome.message)} (${reason})` };
  return { ...request, outcome: safe, progress: null };
}

async function databaseAnswers(): Promise<boolean> {
  try {
    const db = await getPrisma();
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
