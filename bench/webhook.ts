// The production server's RSS while an http.request run calls a local webhook that is ready to
// stream 4 GB: the handler keeps 16 KiB and stops reading at 1 MiB, so the app's memory must stay
// flat (DESIGN.md: <= 400 MiB). Also prints how much the webhook got to send before the run left.
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createToken } from "@/lib/auth/tokens";
import { BASE, rssOfTree, startServer } from "./http";
import { report, sleep } from "./support";

const WEBHOOK_BYTES = 4 * 1024 ** 3;

/** A webhook answering 200 with `total` bytes, written as fast as the client reads them. */
function startWebhook(total: number): Promise<{ server: http.Server; port: number; sent: () => number }> {
  let sent = 0;
  const chunk = Buffer.alloc(256 * 1024, "x");
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(total) });
    let written = 0;
    const pump = () => {
      while (written < total && !response.destroyed) {
        const part = total - written >= chunk.length ? chunk : chunk.subarray(0, total - written);
        written += part.length;
        sent += part.length;
        if (!response.write(part)) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port, sent: () => sent })));
}

export async function webhookMemory(url: string, runs = 3): Promise<void> {
  const webhook = await startWebhook(WEBHOOK_BYTES);
  let app: ChildProcess | undefined;
  try {
    app = await startServer(url, { TICKWORK_HTTP_ALLOW: "127.0.0.1" });
    const { token } = await createToken({ actor: SYSTEM_ACTOR, input: { name: `bench-webhook-${Date.now()}`, role: "operator" } });
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const created = await fetch(`${BASE}/api/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: `4 GB webhook ${Date.now()}`, type: "http.request", params: { url: `http://127.0.0.1:${webhook.port}/huge`, timeoutMs: 600_000 }, schedule: { type: "manual" }, timeoutSeconds: 900 }),
    });
    if (created.status !== 201) throw new Error(`Creating the job answered ${created.status}: ${await created.text()}`);
    const job = (await created.json()) as { id: string };
    const before = rssOfTree(app.pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOfTree(app!.pid!))), 50);
    const results: string[] = [];
    for (let run = 0; run < runs; run++) {
      const queued = await fetch(`${BASE}/api/jobs/${job.id}/run`, { method: "POST", headers });
      const { execution } = (await queued.json()) as { execution: { id: string } };
      for (;;) {
        const read = (await (await fetch(`${BASE}/api/executions/${execution.id}`, { headers })).json()) as { status: string; result: { truncated?: boolean; body?: string } | null; error: unknown };
        if (!["QUEUED", "RUNNING"].includes(read.status)) {
          results.push(`${read.status}${read.result ? `, truncated: ${read.result.truncated}, ${read.result.body?.length} chars kept` : ` ${JSON.stringify(read.error)}`}`);
          break;
        }
        await sleep(50);
      }
    }
    clearInterval(sampler);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(`  ${runs} runs: ${results.join("; ")}; the webhook sent ${mib(webhook.sent())} of ${runs} × 4 GB before the runs stopped reading`);
    report("one instance's RSS while a webhook streams 4 GB (http.request)", `${mib(peak)} peak (${mib(before)} before)`, "<= 400 MiB", peak <= 400 * 2 ** 20);
  } finally {
    app?.kill("SIGTERM");
    webhook.server.closeAllConnections();
    webhook.server.close();
  }
}
