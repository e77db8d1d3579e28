// A TCP proxy between the instances and PostgreSQL that can cut the network: sever() destroys
// every open connection and refuses new ones (the port is closed) for a while.
import net from "node:net";
import { sleep } from "./util";

export interface Proxy {
  port: number;
  /** Open client connections right now. */
  connections(): number;
  /** Destroys every connection and refuses new ones for `ms`; resolves when it accepts again. Returns how many it cut. */
  sever(ms: number): Promise<number>;
  close(): Promise<void>;
}

export async function startProxy(port: number, targetPort: number): Promise<Proxy> {
  const open = new Set<net.Socket>();
  let server: net.Server | null = null;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = net.createServer((client) => {
        const upstream = net.connect(targetPort, "127.0.0.1");
        open.add(client);
        open.add(upstream);
        const close = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on("error", close).on("close", close);
        upstream.on("error", close).on("close", close);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        server = next;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = null;
      if (!current) return resolve();
      current.close(() => resolve());
      for (const socket of open) socket.destroy();
      open.clear();
    });

  await listen();
  return {
    port,
    connections: () => open.size / 2,
    async sever(ms) {
      const cut = open.size / 2;
      await stopListening();
      await sleep(ms);
      // The port may linger for a moment after close; try again briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          await listen();
          break;
        } catch (error) {
          if (attempt >= 50) throw error;
          await sleep(100);
        }
      }
      return cut;
    },
    close: stopListening,
  };
}
