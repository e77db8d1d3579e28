// The app instances under test: the production build (`next start`), each in its own process
// group. Every start is a new incarnation with its own TICKWORK_WORKER_ID (`chaos-a.2`), so the
// proofs can tell whether the owner of a run was alive, killed or stopped cleanly. Every line an
// incarnation prints is checked to be a JSON object; its RSS and CPU are sampled, and a memory
// guard kills it (recorded as a finding) before it can exhaust the shared machine.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { sleep } from "./util";

export type Role = "all" | "worker";
export type EndKind = "SIGKILL" | "SIGTERM" | "guard" | "exited" | "end-of-run";

export interface Incarnation {
  id: string;
  instance: string;
  role: Role;
  pid: number;
  startedAt: number;
  readyAt: number | null;
  endedAt: number | null;
  /** How it ended: our SIGKILL or SIGTERM, the memory guard, by itself (a crash), or stopped after the run. */
  end: EndKind | null;
  exit: string | null;
  peakRssMb: number;
  cpuMs: number;
}

export interface LogLine {
  incarnation: string;
  stream: "stdout" | "stderr";
  line: string;
  at: number;
}

export interface LogCheck {
  lines: number;
  nonJson: LogLine[];
  /** JSON lines at level warn or error, by message. */
  warnings: Map<string, number>;
}

export interface InstanceOptions {
  root: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  rssLimitMb: number;
  logCheck: LogCheck;
  onUnexpectedEnd(instance: Instance, incarnation: Incarnation): void;
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

export class Instance {
  readonly incarnations: Incarnation[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private samplers: NodeJS.Timeout[] = [];
  private cpuTicks = 0;

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly port: number,
    private readonly options: InstanceOptions,
  ) {}

  get current(): Incarnation | null {
    const last = this.incarnations.at(-1);
    return last && last.endedAt === null ? last : null;
  }

  get alive(): boolean {
    return this.current !== null;
  }

  get ready(): boolean {
    return this.current?.readyAt != null;
  }

  /** Starts a new incarnation and resolves once /api/health answers 200. */
  async start(timeoutMs = 90_000): Promise<Incarnation> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    const id = `chaos-${this.name}.${this.incarnations.length + 1}`;
    const nextBin = path.join(this.options.root, "node_modules", "next", "dist", "bin", "next");
    const child = spawn(process.execPath, [nextBin, "start", "-p", String(this.port), "-H", "127.0.0.1"], {
      cwd: this.options.root,
      env: { ...this.options.env, TICKWORK_ROLE: this.role, TICKWORK_WORKER_ID: id },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const incarnation: Incarnation = {
      id,
      instance: this.name,
      role: this.role,
      pid: child.pid!,
      startedAt: Date.now(),
      readyAt: null,
      endedAt: null,
      end: null,
      exit: null,
      peakRssMb: 0,
      cpuMs: 0,
    };
    this.incarnations.push(incarnation);
    this.child = child;
    this.cpuTicks = 0;
    this.watchLines(child, incarnation, "stdout");
    this.watchLines(child, incarnation, "stderr");
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.sample(incarnation);
        for (const timer of this.samplers) clearInterval(timer);
        this.samplers = [];
        incarnation.endedAt = Date.now();
        incarnation.exit = signal ? `signal ${signal}` : `code ${code}`;
        // Not our doing (a crash), or the memory guard's: the run restarts it and reports it.
        const unexpected = incarnation.end === null || incarnation.end === "guard";
        incarnation.end ??= "exited";
        if (this.child === child) this.child = null;
        resolve();
        if (unexpected) this.options.onUnexpectedEnd(this, incarnation);
      }),
    );
    this.samplers.push(setInterval(() => this.sample(incarnation), 1000), setInterval(() => this.guard(incarnation), 250));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && incarnation.endedAt === null) {
      const healthy = await fetch(`http://127.0.0.1:${this.port}/api/health`, { signal: AbortSignal.timeout(2000) })
        .then((response) => response.status === 200)
        .catch(() => false);
      if (healthy) {
        incarnation.readyAt = Date.now();
        return incarnation;
      }
      await sleep(250);
    }
    throw new Error(`${id} did not become healthy within ${timeoutMs} ms (${incarnation.exit ?? "still running"}); see ${this.options.logDir}`);
  }

  /** Sends `signal` to the incarnation's process group and waits for it to exit (SIGKILL after `timeoutMs`). */
  async stop(kind: Exclude<EndKind, "exited">, timeoutMs = 60_000): Promise<Incarnation | null> {
    const incarnation = this.current;
    const child = this.child;
    if (!incarnation || !child) return null;
    incarnation.end = kind;
    const signal = kind === "SIGTERM" || kind === "end-of-run" ? "SIGTERM" : "SIGKILL";
    killGroup(incarnation.pid, signal);
    const exited = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!exited) {
      killGroup(incarnation.pid, "SIGKILL");
      const gone = await Promise.race([this.exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!gone) throw new Error(`${incarnation.id} (pid ${incarnation.pid}) did not exit within 10 s of SIGKILL`);
    }
    return incarnation;
  }

  /** For exit handlers: kills whatever runs, without waiting. */
  killNow(): void {
    const incarnation = this.current;
    if (!incarnation) return;
    incarnation.end ??= "end-of-run";
    killGroup(incarnation.pid, "SIGKILL");
  }

  private watchLines(child: ChildProcess, incarnation: Incarnation, stream: "stdout" | "stderr") {
    const file = fs.createWriteStream(path.join(this.options.logDir, `${incarnation.id}.${stream}.log`));
    const source = child[stream]!;
    source.pipe(file);
    const check = this.options.logCheck;
    readline.createInterface({ input: source, crlfDelay: Infinity }).on("line", (line) => {
      if (line.trim() === "") return;
      check.lines++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        check.nonJson.push({ incarnation: incarnation.id, stream, line, at: Date.now() });
        return;
      }
      const { level, message } = parsed as { level?: unknown; message?: unknown };
      if (level === "warn" || level === "error") {
        const key = `${level}: ${String(message)}`;
        check.warnings.set(key, (check.warnings.get(key) ?? 0) + 1);
      }
    });
  }

  private sample(incarnation: Incarnation) {
    try {
      const stat = fs.readFileSync(`/proc/${incarnation.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      this.cpuTicks = Number(fields[11]) + Number(fields[12]);
      incarnation.cpuMs = this.cpuTicks * CLOCK_TICK_MS;
    } catch {
      // Gone already: keep the last sample.
    }
  }

  private guard(incarnation: Incarnation) {
    let rssMb: number;
    try {
      const status = fs.readFileSync(`/proc/${incarnation.pid}/status`, "utf8");
      rssMb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      return;
    }
    incarnation.peakRssMb = Math.max(incarnation.peakRssMb, rssMb);
    if (rssMb > this.options.rssLimitMb && incarnation.end === null) {
      incarnation.end = "guard";
      killGroup(incarnation.pid, "SIGKILL");
    }
  }
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
