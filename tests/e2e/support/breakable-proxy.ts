// An HTTP proxy between one browser context and the e2e server whose connections the spec can
// cut and restore: a real network drop (an open event stream breaks mid-response, reconnects
// fail), which Chromium's offline emulation does not give for a response already streaming.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface BreakableProxy {
  /** For `browser.newContext({ proxy: { server } })`; Playwright routes loopback through it too. */
  server: string;
  /** Drops every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startBreakableProxy(): Promise<BreakableProxy> {
  let cut = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = http.createServer((request, response) => {
    // An HTTP proxy gets the absolute URL; forward it as is to the app.
    const upstream = http.request(request.url ?? "", { method: request.method, headers: request.headers, agent: false }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.once("socket", track);
    upstream.once("error", () => response.destroy());
    response.once("close", () => upstream.destroy());
    request.pipe(upstream);
  });
  server.on("connection", (socket) => {
    if (cut) return void socket.destroy();
    track(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
