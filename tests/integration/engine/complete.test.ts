// Completion never loses an outcome: whatever a handler returned (NUL bytes, a body cut in the middle
// of an emoji, BigInt, cycles, 10 MB) is recorded; a batch that fails is retried; a row the database
// refuses is isolated so the rest of its batch commits, and is stored in a safe form, marked.
// Faults are injected with a trigger on the real database, not with mocks.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { createCompleter } from "@/lib/engine/completer";
import type { Outcome } from "@/lib/engine/complete";
import { workOnce } from "@/lib/engine/worker";
import { createIdentities, executionRow, resetDatabase, settleActiveExecutions, type Identities } from "../../support/fixtures";
import { insertRunning, manualJob, runNow, testEngineConfig } from "./support";

let who: Identities;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
  server = http.createServer((request, response) => {
    if (request.url === "/nul") return response.end("ok\u0000tail");
    if (request.url === "/cut-emoji") {
      // A 500 whose body ends in the first two bytes of a four-byte emoji.
      response.statusCode = 500;
      return response.end(Buffer.concat([Buffer.from("failed: "), Buffer.from("😀").subarray(0, 2)]));
    }
    response.end("fine");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const completerConfig = testEngineConfig({ completeBatch: 500 });

describe("completion", () => {
  afterEach(async () => {
    const db = await getPrisma();
    await db.$executeRawUnsafe("DROP TRIGGER IF EXISTS test_fault ON executions");
    await db.$executeRawUnsafe("DROP FUNCTION IF EXISTS test_fault()");
    await db.$executeRawUnsafe("DROP SEQUENCE IF EXISTS test_fault_count");
    await settleActiveExecutions();
  });

  it("records webhooks answering NUL bytes and a body cut in an emoji, in the same batch as a plain one", async () => {
    const jobs = await Promise.all(
      ["/nul", "/cut-emoji", "/fine"].map((path) =>
        manualJob(who.operator, { type: "http.request", params: { method: "GET", url: `${baseUrl}${path}` } }),
      ),
    );
    const runs = [];
    for (const job of jobs) runs.push(await runNow(who.operator, job.id));
    const done = await workOnce(testEngineConfig({ concurrency: 10 }));
    expect(done.claimed).toBe(3);
    expect(done.completions).toHaveLength(3);
    const [nul, cut, fine] = await Promise.all(runs.map((run) => executionRow(run.id)));
    expect(nul).toMatchObject({ status: "SUCCEEDED", result: { status: 200, body: "ok\uFFFDtail" } });
    expect(cut).toMatchObject({ status: "FAILED", errorCode: "HANDLER_ERROR" });
    // The body is read up to the last whole character: the two bytes of the cut emoji are left out.
    expect(cut!.errorMessage).toMatch(/answered 500: failed: \uFFFD?$/);
    expect(cut!.errorMessage).toBe(cut!.errorMessage!.toWellFormed());
    expect(fine).toMatchObject({ status: "SUCCEEDED", result: { status: 200, body: "fine" } });
  });

  it("records whatever a handler returned or threw: BigInt, cycles, NUL, 10 MB, unpaired surrogates", async () => {
    const cyclic: Record<string, unknown> = { n: 12345678901234567890n };
    cyclic.self = cyclic;
    const outcomes: Outcome[] = [
      { status: "SUCCEEDED", result: cyclic },
      { status: "SUCCEEDED", result: { text: "a\u0000b\uD800c" } },
      { status: "SUCCEEDED", result: "x".repeat(10 * 1024 * 1024) },
      { status: "FAILED", code: "HANDLER_ERROR", message: "bad \u0000 \uDC00 " + "é".repeat(20_000) },
      { status: "CANCELLED", message: "stopped\u0000" },
    ];
    const rows = await Promise.all(outcomes.map(() => insertRunning(null, 0, { workerId: completerConfig.workerId })));
    const completer = createCompleter(completerConfig);
    const completions = await Promise.all(rows.map((row, i) => completer.complete({ id: row.id, outcome: outcomes[i], workerId: completerConfig.workerId })));
    expect(completions.every((completion) => completion !== null)).toBe(true);
    const stored = await Promise.all(rows.map((row) => executionRow(row.id)));
    expect(stored[0]).toMatchObject({ status: "SUCCEEDED", result: { n: "12345678901234567890", self: "[Circular]" } });
    expect(stored[1]!.result).toEqual({ text: "a\uFFFDb\uFFFDc" });
    expect(stored[2]!.result).toMatchObject({ truncated: true, originalBytes: 10 * 1024 * 1024 + 2 });
    expect(stored[3]).toMatchObject({ status: "FAILED", errorCode: "HANDLER_ERROR" });
    expect(stored[3]!.errorMessage!.startsWith("bad \uFFFD \uFFFD é")).toBe(true);
    expect(Buffer.byteLength(stored[3]!.errorMessage!)).toBeLessThanOrEqual(10_000);
    expect(stored[4]).toMatchObject({ status: "CANCELLED", errorMessage: "stopped\uFFFD" });
  });

  it("a row the database refuses is isolated: the rest of the batch commits, and it is stored in its safe form, marked", async () => {
    const db = await getPrisma();
    await db.$executeRawUnsafe(`
      CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.result ? 'poison' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe("CREATE TRIGGER test_fault BEFORE UPDATE ON executions FOR EACH ROW EXECUTE FUNCTION test_fault()");
    const rows = await Promise.all([0, 1, 2, 3].map(() => insertRunning(null, 0, { workerId: completerConfig.workerId })));
    const completer = createCompleter(completerConfig);
    const results = [{ i: 0 }, { poison: true }, { i: 2 }, { i: 3 }];
    await Promise.all(rows.map((row, i) => completer.complete({ id: row.id, outcome: { status: "SUCCEEDED", result: results[i] }, workerId: completerConfig.workerId })));
    const stored = await Promise.all(rows.map((row) => executionRow(row.id)));
    expect(stored.map((row) => row!.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect(stored[0]!.result).toEqual({ i: 0 });
    expect(stored[2]!.result).toEqual({ i: 2 });
    expect(stored[3]!.result).toEqual({ i: 3 });
    expect(stored[1]!.result).toEqual({ unstorable: true, reason: expect.stringContaining("refused by the test trigger") });
  });

  it("a batch that fails for a passing reason is retried and written as it was", async () => {
    const db = await getPrisma();
    await db.$executeRawUnsafe("CREATE SEQUENCE test_fault_count");
    // The first two completion attempts fail, as a deadlock or a failover would.
    await db.$executeRawUnsafe(`
      CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status <> 'RUNNING' AND nextval('test_fault_count') <= 2 THEN RAISE EXCEPTION 'passing fault'; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe("CREATE TRIGGER test_fault BEFORE UPDATE ON executions FOR EACH ROW EXECUTE FUNCTION test_fault()");
    const [row] = await Promise.all([insertRunning(null, 0, { workerId: completerConfig.workerId })]);
    const completer = createCompleter(completerConfig);
    const completion = await completer.complete({ id: row.id, outcome: { status: "SUCCEEDED", result: { kept: "as it was" } }, workerId: completerConfig.workerId });
    expect(completion?.execution.status).toBe("SUCCEEDED");
    expect((await executionRow(row.id))!.result).toEqual({ kept: "as it was" });
  });
});
