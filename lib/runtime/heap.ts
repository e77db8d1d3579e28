// How far the V8 heap grows between full collections. Left to itself, V8 lets the heap grow up to
// four times what survived the last full collection when a process allocates fast: a server under
// load, whose live heap is 117-135 MB, went to 465 MB of heap and 600-725 MiB of RSS, almost all of
// it garbage. A fixed growth of 50 % held the same load at 333-375 MiB with no loss of throughput
// that rounds alternating with V8's default could tell from noise (2026-12-02, docs/operations.md
// "Memory"). Capping the heap instead (--max-old-space-size) cost a third to a half of throughput.
import v8 from "node:v8";
import { env } from "@/lib/env";

/** Applies TICKWORK_HEAP_GROWTH_PERCENT; V8 reads it at each full collection, so it holds from the next one. */
export function limitHeapGrowth(percent = env.TICKWORK_HEAP_GROWTH_PERCENT): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
