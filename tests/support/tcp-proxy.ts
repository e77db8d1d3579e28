// A TCP proxy between engine processes and PostgreSQL whose connections a test can sever: every
// open connection dropped and new ones refused until restore(), as in a network split or failover.
// It can also lose one answer: the connection that sends a statement naming a marker is cut when
// the server's answer to it arrives holding a second marker, so the statement has run (and
// committed, outside a transaction) but the client never hears so. Answers without the second
// marker pass (it is looked for in the answer's first chunk: meant for small answers).
import net from "node:net";

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  sever(): void;
  restore(): void;
  /** Cuts the connection of the next statement containing `marker` whose answer contains `answerMarker`, instead of passing that answer on; resolves once cut. */
  loseAnswerTo(marker: string, answerMarker: string): Promise<void>;
  close(): Promise<void>;
}

/** To a host and port, or to a Unix socket (the embedded database listens on one). */
export type ProxyTarget = { host: string; port: number } | { path: string };

/** Where a postgresql:// URL connects: its host and port, or the socket in the directory its host names. */
export function targetOf(url: string): ProxyTarget {
  const host = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url)?.[1] ?? "";
  const decoded = decodeURIComponent(host);
  if (decoded.startsWith("/")) return { path: `${decoded}/.s.PGSQL.5432` };
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432) };
}

export async function startTcpProxy(target: ProxyTarget): Promise<TcpProxy> {
  let severed = false;
  let losing: { marker: Buffer; answerMarker: Buffer; cut: () => void } | null = null;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    if (severed) return void client.destroy();
    const upstream = "path" in target ? net.connect(target.path) : net.connect(target.port, target.host);
    track(client);
    track(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    // Piped, except that a statement naming the marker has this connection look at its answer.
    let watching = false;
    client.on("data", (chunk: Buffer) => {
      if (losing && chunk.includes(losing.marker)) watching = true;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on("drain", () => client.resume());
    upstream.on("data", (chunk: Buffer) => {
      if (watching) {
        watching = false;
        if (losing && chunk.includes(losing.answerMarker)) {
          const { cut } = losing;
          losing = null;
          end();
          return cut();
        }
      }
      if (!client.write(chunk)) upstream.pause();
    });
    client.on("drain", () => upstream.resume());
    client.once("error", end);
    upstream.once("error", end);
    client.once("close", end);
    upstream.once("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    urlFor(url) {
      return url.replace(/^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)[^/?]+/, `$1127.0.0.1:${port}`);
    },
    sever() {
      severed = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      severed = false;
    },
    loseAnswerTo(marker, answerMarker) {
      return new Promise((resolve) => {
        losing = { marker: Buffer.from(marker), answerMarker: Buffer.from(answerMarker), cut: resolve };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
