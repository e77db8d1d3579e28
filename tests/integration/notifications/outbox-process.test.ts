// The outbox survives a SIGKILL: an engine process fails a run (the delivery is committed with the
// completion), claims the delivery and is killed while the webhook has not answered; the delivery
// stays pending, and a second process sends it once the first one's lease has ended, with the same
// Tickwork-Delivery id and a valid signature. PostgreSQL only (the embedded database serves one
// process).
import { spawn, type ChildProcess } from "node:child_process";
import type http from "node:http";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { api } from "../../support/api";
import { createIdentities, resetDatabase, waitFor, type Identities } from "../../support/fixtures";
import { useLocalServer } from "../../support/http-server";
import { manualJob } from "../engine/support";
import { deliveriesOf, postChannel, verifySignature } from "./support";

const kind = inject("databaseKind");
const children: ChildProcess[] = [];
let who: Identities;
let answering = false;
const held: http.ServerResponse[] = [];
const receiver = useLocalServer((_request, response) => {
  if (answering) return void response.end("ok");
  held.push(response);
});

function startEngineProcess(workerId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/engine-process.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      TICKWORK_WORKER_ID: workerId,
      TICKWORK_LOG_LEVEL: "error",
      TICKWORK_POLL_MS: "200",
      // Each attempt may take 2 s, so a dead sender's lease ends 7 s after its claim.
      TICKWORK_NOTIFY_TIMEOUT_SECONDS: "2",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`engine ${workerId} exited early with ${code}`)));
  });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const response of held.splice(0)) response.destroy();
});

describe.skipIf(kind === "embedded")("the outbox across a SIGKILL", () => {
  beforeAll(async () => {
    await resetDatabase();
    who = await createIdentities();
  });

  it("a delivery in flight when its process is killed is sent by the next process", { timeout: 60_000 }, async () => {
    const { base, seen } = await receiver;
    const channel = await postChannel(who.admin, { target: `${base}/hook`, events: ["failed"] });
    const job = await manualJob(who.operator, { params: { durationMs: 0, steps: 1, fail: true } });
    const first = await startEngineProcess("notify-doomed");
    expect((await api("POST", `/api/jobs/${job.id}/run`, { token: who.operator })).status).toBe(202);

    await waitFor(() => held.length === 1, 20_000, "the webhook to be called");
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const [inFlight] = await deliveriesOf(channel.id);
    expect(inFlight).toMatchObject({ event: "failed", status: "pending", attempts: 1 });

    answering = true;
    await startEngineProcess("notify-next");
    const db = await getPrisma();
    await waitFor(async () => (await db.notificationDelivery.findUnique({ where: { id: inFlight.id } }))?.status === "delivered", 30_000, "the delivery");
    const [delivered] = await deliveriesOf(channel.id);
    expect(delivered).toMatchObject({ id: inFlight.id, status: "delivered", attempts: 2, lastStatus: 200 });
    expect(seen.map((request) => request.headers["tickwork-delivery"])).toEqual([inFlight.id, inFlight.id]);
    expect(verifySignature(seen[1].headers["tickwork-signature"], seen[1].body, channel.secret)).toBe(true);
    expect(JSON.parse(seen[1].body)).toMatchObject({ event: "failed", job: { id: job.id } });
  });
});
