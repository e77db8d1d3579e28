// Local HTTP servers for the outbound tests, on 127.0.0.1 only; each records the requests it got.
import http from "node:http";
import { afterAll } from "vitest";

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LocalServer {
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
  seen: Seen[];
}

/** Starts a server for the rest of the file (closed after all its tests). */
export function useLocalServer(handler: (request: http.IncomingMessage, response: http.ServerResponse, seen: Seen) => void): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      handler(request, response, entry);
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({ port, base: `http://127.0.0.1:${port}`, seen });
    }),
  );
}

/**
 * Answers 200 and streams `totalBytes` of "x" in 64 KiB chunks, honouring backpressure, until done
 * or the client goes away. Resolves `done` with the bytes written.
 */
export function streamBytes(response: http.ServerResponse, totalBytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let written = 0;
  response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(totalBytes) });
  return new Promise((resolve) => {
    const finish = () => resolve(written);
    response.on("close", finish);
    const pump = () => {
      while (written < totalBytes && !response.destroyed) {
        const part = totalBytes - written >= chunk.length ? chunk : chunk.subarray(0, totalBytes - written);
        written += part.length;
        if (!response.write(part)) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
}
