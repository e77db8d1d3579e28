// http.request runs under the outbound HTTP policy (TICKWORK_HTTP_ALLOW=127.0.0.1 in the tests): a
// refused literal address is 400 at create, update, run and enqueue; one met at run time (a
// redirect) ends the run FAILED with BLOCKED_ADDRESS; a server streaming 1.5 GB ends with a small,
// truncated result.
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../support/api";
import { createIdentities, detailPaths, expectError, jobInput, resetDatabase, waitForStatus, type Identities } from "../../support/fixtures";
import { streamBytes, useLocalServer } from "../../support/http-server";
import { manualJob, readExecution, runNow, useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();
const server = useLocalServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/ok") return void response.end("fine");
  if (url.pathname === "/redirect") return void response.writeHead(302, { location: url.searchParams.get("to") ?? "/" }).end();
  if (url.pathname === "/huge") return void streamBytes(response, 1.5 * 1024 ** 3);
  response.writeHead(404).end();
});

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const httpJob = (params: Record<string, unknown>) => manualJob(who.operator, { type: "http.request", params });

describe("refused literal addresses in params", () => {
  it.each(["http://127.0.0.2:9/", "http://[::1]:9/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"])(
    "%s is 400 at create, update, run and enqueue, on params.url",
    async (url) => {
      const refusedAt = (response: Awaited<ReturnType<typeof api>>) => {
        const error = expectError(response, 400, "VALIDATION_FAILED");
        expect(error.field).toBe("params");
        expect(detailPaths(error)).toEqual(["params.url"]);
        expect(error.details![0].message).toMatch(/refused by the outbound HTTP policy/);
      };
      refusedAt(await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ type: "http.request", params: { url } }) }));
      const { base } = await server;
      const job = await httpJob({ url: `${base}/ok` });
      refusedAt(await api("PATCH", `/api/jobs/${job.id}`, { token: who.operator, body: { params: { url } } }));
      refusedAt(await api("POST", `/api/jobs/${job.id}/run`, { token: who.operator, body: { params: { url } } }));
      refusedAt(await api("POST", "/api/enqueue", { token: who.operator, body: { type: "http.request", params: { url } } }));
    },
  );
});

describe("runs", () => {
  it("calls an allowed address and records status, body and truncated: false", async () => {
    const { base } = await server;
    const job = await httpJob({ url: `${base}/ok` });
    workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "SUCCEEDED");
    expect((await readExecution(who.viewer, queued.id)).result).toEqual({ status: 200, body: "fine", truncated: false });
  });

  it.each([
    ["127.0.0.2", (port: number) => `http://127.0.0.2:${port}/ok`],
    ["[::1]", (port: number) => `http://[::1]:${port}/ok`],
  ])("ends FAILED with BLOCKED_ADDRESS when an allowed server redirects to %s", async (_what, to) => {
    const { base, port } = await server;
    const job = await httpJob({ url: `${base}/redirect?to=${encodeURIComponent(to(port))}` });
    workers.start();
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "FAILED");
    const execution = await readExecution(who.viewer, queued.id);
    expect(execution.error).toMatchObject({ code: "BLOCKED_ADDRESS", message: expect.stringMatching(/loopback address, refused by the outbound HTTP policy/) });
    expect(execution.result).toBeNull();
  });

  it("keeps 16 KiB of a 1.5 GB answer and marks it truncated; the run succeeds", async () => {
    const { base } = await server;
    const job = await httpJob({ url: `${base}/huge` });
    workers.start();
    const rssBefore = process.memoryUsage().rss;
    const queued = await runNow(who.operator, job.id);
    await waitForStatus(queued.id, "SUCCEEDED", 20_000);
    console.info(`1.5 GB webhook run: RSS ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    const { result } = await readExecution(who.viewer, queued.id);
    expect(result).toMatchObject({ status: 200, truncated: true });
    expect(result.body).toHaveLength(16 * 1024);
  });
});
