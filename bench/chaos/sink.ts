// The side table: a local HTTP server that every chaos job's http.request calls. It records each
// call with the execution id and fire time the handler sends (Tickwork-Execution-Id,
// Tickwork-Scheduled-For), so the proofs can tell which execution made which call. A fault can
// switch how it answers for a few seconds: NUL bytes, a 500 cut in the middle of an emoji, 1 GiB.
import http from "node:http";

export type SinkMode = "ok" | "nul" | "emoji" | "big";

export interface Hit {
  executionId: string | null;
  scheduledFor: string | null;
  path: string;
  /** Arrival time (ms since epoch). */
  at: number;
  /** How it was answered. */
  answer: SinkMode;
}

export interface Sink {
  port: number;
  hits: Hit[];
  /** Answers every call in `mode` for `ms`, then goes back to "ok". */
  setMode(mode: SinkMode, ms: number): void;
  stats(): { bigStarted: number; bigBytes: number; bigCompleted: number };
  close(): Promise<void>;
}

const GIB = 1024 ** 3;
const CHUNK = Buffer.alloc(64 * 1024, "a");
/** 499 ASCII characters then emoji, so the handler's 500-character excerpt ends on half a surrogate pair; the body itself ends in the middle of an emoji's bytes. */
const EMOJI_BODY = Buffer.concat([Buffer.from("x".repeat(499) + "😀".repeat(64), "utf8"), Buffer.from([0xf0, 0x9f])]);
const NUL_BODY = "ok\u0000tail";

export async function startSink(port: number, { maxBigStreams }: { maxBigStreams: number }): Promise<Sink> {
  const hits: Hit[] = [];
  let mode: SinkMode = "ok";
  let modeUntil = 0;
  let bigActive = 0;
  const stats = { bigStarted: 0, bigBytes: 0, bigCompleted: 0 };
  const currentMode = (): SinkMode => (Date.now() < modeUntil ? mode : "ok");

  const streamBig = (response: http.ServerResponse) => {
    bigActive++;
    stats.bigStarted++;
    let sent = 0;
    const done = () => {
      if (response.writableEnded && sent >= GIB) stats.bigCompleted++;
      bigActive--;
    };
    response.once("close", done);
    response.writeHead(200, { "content-type": "text/plain", "content-length": String(GIB) });
    const pump = () => {
      while (sent < GIB && !response.destroyed) {
        sent += CHUNK.length;
        stats.bigBytes += CHUNK.length;
        if (!response.write(CHUNK)) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  };

  const server = http.createServer((request, response) => {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === "string" ? value : null;
    };
    let answer = currentMode();
    if (answer === "big" && bigActive >= maxBigStreams) answer = "ok";
    hits.push({ executionId: header("tickwork-execution-id"), scheduledFor: header("tickwork-scheduled-for"), path: request.url ?? "", at: Date.now(), answer });
    request.resume();
    request.on("error", () => undefined);
    response.on("error", () => undefined);
    switch (answer) {
      case "ok":
        return void response.end("ok");
      case "nul":
        return void response.end(NUL_BODY);
      case "emoji":
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        return void response.end(EMOJI_BODY);
      case "big":
        return streamBig(response);
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    port,
    hits,
    setMode(next, ms) {
      mode = next;
      modeUntil = Date.now() + ms;
    },
    stats: () => ({ ...stats }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
