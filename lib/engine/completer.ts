// Collects the worker's finished executions and writes them in batches: while one batch commits,
// the next one fills up, so commits per execution fall as load rises.
import { completeExecutions, type Completion, type CompletionRequest } from "./complete";
import { logger } from "@/lib/log";

const MAX_BATCH = 500;

interface Pending {
  request: CompletionRequest;
  resolve: (completion: Completion | null) => void;
}

export function createCompleter() {
  const pending: Pending[] = [];
  let flushing = false;

  const flush = async () => {
    if (flushing || pending.length === 0) return;
    flushing = true;
    const batch = pending.splice(0, MAX_BATCH);
    try {
      const completions = await completeExecutions(batch.map((item) => item.request));
      const byId = new Map(completions.map((completion) => [completion.execution.id, completion]));
      for (const item of batch) item.resolve(byId.get(item.request.id) ?? null);
    } catch (error) {
      // The executions stay RUNNING; their heartbeat stops with the run, so the stalled sweep ends them.
      logger.error("Could not record finished executions", { ids: batch.map((item) => item.request.id), error: String(error) });
      for (const item of batch) item.resolve(null);
    } finally {
      flushing = false;
      if (pending.length > 0) setImmediate(() => void flush());
    }
  };

  return {
    complete(request: CompletionRequest): Promise<Completion | null> {
      return new Promise((resolve) => {
        pending.push({ request, resolve });
        setImmediate(() => void flush());
      });
    },
  };
}

export type Completer = ReturnType<typeof createCompleter>;
