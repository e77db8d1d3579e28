// http.request tells the receiver which execution calls it, so a receiver can deduplicate: the
// same id twice is the same run repeated, a retry comes with a new id.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { httpRequest } from "@/lib/handlers/http-request";

let server: http.Server;
let url: string;
const seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on("end", () => response.end("ok"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

test("sends the execution id and its scheduled time as headers, over any header of the same name in params", async () => {
  const scheduledFor = new Date("2026-12-01T02:00:00.000Z");
  const params = httpRequest.params.parse({ method: "POST", url, body: { a: 1 }, headers: { "Tickwork-Execution-Id": "spoofed" } });
  const result = await httpRequest.run({
    params,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined, output: () => undefined },
    stopGraceMs: 1000,
    attempt: 1,
    execution: { id: "0b8e2c1a-6a43-4d0e-9c43-4d3f2b1c0a99", jobId: null, jobName: "hook", scheduledFor },
  });
  expect(result).toEqual({ status: 200, body: "ok", truncated: false });
  expect(seen).toHaveLength(1);
  expect(seen[0]["tickwork-execution-id"]).toBe("0b8e2c1a-6a43-4d0e-9c43-4d3f2b1c0a99");
  expect(seen[0]["tickwork-scheduled-for"]).toBe("2026-12-01T02:00:00.000Z");
});
