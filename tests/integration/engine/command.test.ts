// Command jobs and run logs against the real database and real processes: output lands in order in
// the log (API, text download, execution.log events), a command that ignores SIGTERM is gone with
// its child after cancel plus the grace period, a failing exit code is FAILED EXIT_CODE with the
// stderr tail, bad args and unknown commands are 400, and a run printing 50,000 lines keeps 10,000
// and the truncation line.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { default: fs } = await import("node:fs");
  const { default: os } = await import("node:os");
  const { default: path } = await import("node:path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-commands-"));
  const file = path.join(dir, "commands.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      "print-lines": {
        description: "Prints numbered lines, then one line on stderr",
        argv: ["/bin/sh", "-c", 'i=1; while [ $i -le "$0" ]; do echo "line $i"; i=$((i+1)); done; echo "done" >&2', "{count}"],
        args: { count: { pattern: "[0-9]{1,6}", description: "How many lines", example: "3" } },
      },
      stubborn: {
        description: "Ignores SIGTERM, and so does its child",
        argv: ["/bin/sh", "-c", "trap '' TERM; sleep 300 & echo \"pids $$ $!\"; wait"],
      },
      "exit-three": { description: "Complains and exits 3", argv: ["/bin/sh", "-c", "echo 'first complaint' >&2; echo 'last complaint' >&2; exit 3"] },
      backup: {
        description: "Echoes a database name, as pg_dump would take it",
        argv: ["/bin/echo", "dumping", "{db}"],
        args: { db: { pattern: "^[a-z_]+$", example: "shop" } },
      },
    }),
  );
  process.env.TICKWORK_COMMANDS = file;
});

import { getPrisma } from "@/lib/db";
import { subscribe } from "@/lib/events/bus";
import type { LogLine } from "@/lib/events/types";
import { workOnce } from "@/lib/engine/worker";
import { api } from "../../support/api";
import { createIdentities, executionRow, expectError, resetDatabase, waitFor, waitForStatus, type Identities } from "../../support/fixtures";
import { manualJob, runNow, testEngineConfig, useWorkers } from "./support";

let who: Identities;
const workers = useWorkers();

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const commandJob = (command: string, args: Record<string, string> = {}) => manualJob(who.operator, { type: "command", params: { command, args } });
const logOf = async (id: string, query = "") => (await api("GET", `/api/executions/${id}/logs${query}`, { token: who.viewer })).body;

/** Alive and not a zombie (a reparented child may wait for a parent that never reaps it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("command jobs", () => {
  it("stores stdout and stderr line by line, in order, and streams them as execution.log events", async () => {
    const events: LogLine[] = [];
    const unsubscribe = subscribe((event) => {
      if (event.name === "execution.log") events.push(...event.data.lines);
    });
    const job = await commandJob("print-lines", { count: "250" });
    const run = await runNow(who.operator, job.id);
    const { completions } = await workOnce(testEngineConfig());
    expect(completions.map((c) => c.execution.id)).toEqual([run.id]);
    expect(await executionRow(run.id)).toMatchObject({ status: "SUCCEEDED", result: { exitCode: 0, durationMs: expect.any(Number) } });

    const first = await logOf(run.id, "?limit=200");
    expect(first.items).toHaveLength(200);
    expect(first.next).toBe(200);
    expect(first.truncated).toBe(false);
    const rest = await logOf(run.id, `?after=${first.next}`);
    expect(rest.next).toBeNull();
    const lines = [...first.items, ...rest.items];
    expect(lines.map((line: LogLine) => line.seq)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
    const stdout = lines.filter((line: LogLine) => line.level === "stdout").map((line: LogLine) => line.message);
    expect(stdout).toEqual(Array.from({ length: 250 }, (_, i) => `line ${i + 1}`));
    expect(lines.filter((line: LogLine) => line.level === "stderr").map((line: LogLine) => line.message)).toEqual(["done"]);

    await waitFor(() => events.filter((line) => line.message.startsWith("line ") || line.message === "done").length >= 251, 5000, "the events");
    unsubscribe();
    expect(events.map((line) => line.seq).filter((seq, i, all) => all.indexOf(seq) === i).sort((a, b) => a - b)).toEqual(lines.map((line: LogLine) => line.seq));

    const text = await api("GET", `/api/executions/${run.id}/logs?format=text`, { token: who.viewer });
    expect(text.status).toBe(200);
    expect(text.headers.get("content-type")).toContain("text/plain");
    expect(text.headers.get("content-disposition")).toContain(`execution-${run.id}.log`);
    const textLines = String(text.body).trimEnd().split("\n");
    expect(textLines).toHaveLength(251);
    expect(textLines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z stdout line 1$/);
  });

  it("the log is for viewers and up: 401 without credentials, 404 for an unknown execution, 400 for a bad query", async () => {
    const run = await runNow(who.operator, (await commandJob("backup", { db: "shop" })).id);
    expectError(await api("GET", `/api/executions/${run.id}/logs`), 401, "UNAUTHENTICATED");
    expectError(await api("GET", `/api/executions/${run.id}/logs`, { token: who.revoked }), 401, "UNAUTHENTICATED");
    expect((await api("GET", `/api/executions/${run.id}/logs`, { token: who.viewer })).body).toEqual({ items: [], next: null, truncated: false });
    expectError(await api("GET", "/api/executions/00000000-0000-4000-8000-000000000000/logs", { token: who.viewer }), 404, "NOT_FOUND");
    for (const query of ["?after=-1", "?limit=0", "?limit=1001", "?format=xml", "?after=abc"]) {
      expectError(await api("GET", `/api/executions/${run.id}/logs${query}`, { token: who.viewer }), 400, "VALIDATION_FAILED");
    }
    await workOnce(testEngineConfig());
  });

  it("fills argv from checked args without a shell, and fails a non-zero exit with EXIT_CODE and the stderr tail", async () => {
    const backup = await runNow(who.operator, (await commandJob("backup", { db: "shop_eu" })).id);
    const failing = await runNow(who.operator, (await commandJob("exit-three")).id);
    await workOnce(testEngineConfig());
    expect(await executionRow(backup.id)).toMatchObject({ status: "SUCCEEDED" });
    expect((await logOf(backup.id)).items.map((line: LogLine) => line.message)).toEqual(["dumping shop_eu"]);
    const failed = await executionRow(failing.id);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "EXIT_CODE" });
    expect(failed!.errorMessage).toBe("exit-three exited with 3:\nfirst complaint\nlast complaint");
  });

  it("cancel kills the whole process group, also what ignores SIGTERM, and the run ends CANCELLED only once it is gone", async () => {
    workers.start({ cancelGraceMs: 1000 });
    const job = await commandJob("stubborn");
    const run = await runNow(who.operator, job.id);
    const pids = await waitFor(
      async () => {
        const line = (await logOf(run.id)).items.find((item: LogLine) => item.message.startsWith("pids "));
        return line ? line.message.split(" ").slice(1).map(Number) : null;
      },
      10_000,
      "the command to print its pids",
    );
    expect(pids).toHaveLength(2);
    expect(pids.every(alive)).toBe(true);
    const cancel = await api("POST", `/api/executions/${run.id}/cancel`, { token: who.operator });
    expect(cancel.status).toBe(202);
    const ended = await waitForStatus(run.id, "CANCELLED", 10_000);
    // Ended only after SIGTERM was ignored for the grace period and SIGKILL took the group.
    expect(ended.finishedAt!.getTime() - ended.cancelRequestedAt!.getTime()).toBeGreaterThanOrEqual(900);
    expect(pids.filter(alive)).toEqual([]);
  });

  it("refuses an unknown command or an arg that does not match its pattern with 400 on params", async () => {
    for (const params of [
      { command: "rm-rf", args: {} },
      { command: "backup", args: { db: "shop; rm -rf /" } },
      { command: "backup", args: { db: "Shop" } },
      { command: "backup", args: {} },
      { command: "backup", args: { db: "shop", extra: "x" } },
    ]) {
      const created = await api("POST", "/api/jobs", { token: who.operator, body: { name: `bad ${Math.random()}`, type: "command", params, schedule: { type: "manual" } } });
      const error = expectError(created, 400, "VALIDATION_FAILED");
      expect(error.field).toBe("params");
      expectError(await api("POST", "/api/enqueue", { token: who.operator, body: { type: "command", params } }), 400, "VALIDATION_FAILED");
    }
  });

  it("keeps 10,000 lines of a run that prints 50,000, then one line saying the log was truncated", { timeout: 60_000 }, async () => {
    const run = await runNow(who.operator, (await commandJob("print-lines", { count: "50000" })).id);
    await workOnce(testEngineConfig());
    expect(await executionRow(run.id)).toMatchObject({ status: "SUCCEEDED", logTruncated: true });
    const db = await getPrisma();
    expect(await db.executionLog.count({ where: { executionId: run.id } })).toBe(10_001);
    const last = await logOf(run.id, "?after=9999");
    expect(last.truncated).toBe(true);
    expect(last.items.map((line: LogLine) => [line.seq, line.level, line.message.slice(0, 14)])).toEqual([
      [10_000, "stdout", "line 10000"],
      [10_001, "warn", "Log truncated:"],
    ]);
    // The log goes with its execution (retention deletes executions).
    await db.execution.delete({ where: { id: run.id } });
    expect(await db.executionLog.count({ where: { executionId: run.id } })).toBe(0);
  });
});

afterAll(() => {
  fs.rmSync(path.dirname(process.env.TICKWORK_COMMANDS!), { recursive: true, force: true });
});
