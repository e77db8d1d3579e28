// The faults, one every few seconds in rotation: kill an instance (SIGKILL) and start it again,
// stop one cleanly (SIGTERM) and start it again, restart PostgreSQL, sever every database
// connection for a while, and make the webhook receiver answer with NUL bytes, a 500 cut in the
// middle of an emoji, or 1 GiB.
import type { Instance } from "./instances";
import type { PrivateCluster } from "./postgres";
import type { Proxy } from "./proxy";
import type { Sink, SinkMode } from "./sink";
import { sleep } from "./util";

export type FaultKind = "kill" | "term" | "pg-restart" | "sever" | "nul" | "emoji" | "big";
/** Unplanned events the run reports with the faults: an instance that exited by itself, or was killed by the memory guard. */
export type EventKind = FaultKind | "crash" | "guard";

/** A webhook fault lasts until at least this many calls were answered that way (or four times its length). */
const MIN_FAULTY_ANSWERS = 2;

export const ROTATION: FaultKind[] = ["kill", "sever", "nul", "term", "pg-restart", "emoji", "big"];

export interface FaultRecord {
  kind: EventKind;
  at: number;
  tookMs: number;
  target: string;
  detail: string;
  /** The fault could not be applied or its target did not come back (e.g. a restarted instance never became healthy). */
  failed?: boolean;
}

export interface FaultContext {
  instances: Instance[];
  cluster: PrivateCluster;
  proxy: Proxy;
  sink: Sink;
  severMs: number;
  webhookMs: number;
  shutdownGraceSeconds: number;
}

export class Faults {
  readonly log: FaultRecord[] = [];
  private turns = { kill: 0, term: 0 };

  constructor(private readonly context: FaultContext) {}

  /** Picks the next instance for kill or term, in turn, among those that are up. */
  private pick(kind: "kill" | "term"): Instance | null {
    const { instances } = this.context;
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[this.turns[kind]++ % instances.length];
      if (instance.ready) return instance;
    }
    return null;
  }

  async run(kind: FaultKind): Promise<FaultRecord> {
    const at = Date.now();
    const record: FaultRecord = { kind, at, tookMs: 0, target: "", detail: "" };
    this.log.push(record);
    const { cluster, proxy, sink } = this.context;
    try {
      switch (kind) {
        case "kill":
        case "term": {
          const instance = this.pick(kind);
          if (!instance) {
            record.detail = "no instance up to stop";
            break;
          }
          const timeout = kind === "term" ? (this.context.shutdownGraceSeconds + 30) * 1000 : 10_000;
          const ended = await instance.stop(kind === "kill" ? "SIGKILL" : "SIGTERM", timeout);
          const stoppedIn = Date.now() - at;
          const started = await instance.start();
          record.target = ended?.id ?? instance.name;
          record.detail = `${ended?.exit ?? "?"} after ${stoppedIn} ms; ${started.id} healthy ${started.readyAt! - started.startedAt} ms after start`;
          break;
        }
        case "pg-restart":
          record.target = "postgresql";
          await cluster.restart();
          record.detail = "pg_ctl restart -m fast";
          break;
        case "sever": {
          record.target = "proxy";
          const cut = await proxy.sever(this.context.severMs);
          record.detail = `cut ${cut} connection(s), refused new ones for ${this.context.severMs} ms`;
          break;
        }
        case "nul":
        case "emoji":
        case "big": {
          record.target = "webhook";
          const before = sink.hits.length;
          const answered = () => sink.hits.slice(before).filter((hit) => hit.answer === kind).length;
          // A busy engine may make no call for seconds: hold the fault (up to 4× as long) until a few calls met it.
          const limit = Date.now() + 4 * this.context.webhookMs;
          sink.setMode(kind as SinkMode, this.context.webhookMs);
          await sleep(this.context.webhookMs);
          while (answered() < MIN_FAULTY_ANSWERS && Date.now() < limit) {
            sink.setMode(kind as SinkMode, 1000);
            await sleep(1000);
          }
          const what = { nul: '200 "ok\\u0000tail"', emoji: "500, body cut in an emoji", big: "200 with a 1 GiB body" }[kind];
          record.detail = `${answered()} call(s) answered ${what} for ${Date.now() - at} ms`;
          break;
        }
      }
    } catch (error) {
      record.detail = `fault failed: ${String(error)}`;
      record.failed = true;
    }
    record.tookMs = Date.now() - at;
    return record;
  }

  /** Records an unplanned end of an instance (not caused by a fault). */
  unplanned(kind: "crash" | "guard", target: string, detail: string): FaultRecord {
    const record: FaultRecord = { kind, at: Date.now(), tookMs: 0, target, detail };
    this.log.push(record);
    return record;
  }

  /** When clean stops (SIGTERM) began: a run requeued by one may call the receiver again with the same id. */
  cleanStops(): number[] {
    return this.log.filter((record) => record.kind === "term").map((record) => record.at);
  }
}
