// The chaos run's workload, through the public HTTP API only: every-second http.request jobs
// that call the side table, a steady stream of run-nows on manual jobs, and demo.sleep runs
// started and cancelled while they run.
import type { Instance } from "./instances";
import { eachLimit, sleep } from "./util";

export interface ApiAnswer {
  /** 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  /** Which instance was asked. */
  port: number;
  body: unknown;
  error?: string;
}

/** Calls the API on the instances in turn, skipping those that are down. */
export class Api {
  private turn = 0;
  constructor(
    private readonly instances: Instance[],
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const live = this.instances.filter((instance) => instance.ready);
    const instance = live[this.turn++ % Math.max(1, live.length)] ?? this.instances[0];
    try {
      const response = await fetch(`http://127.0.0.1:${instance.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      return { status: response.status, port: instance.port, body: parsed };
    } catch (error) {
      return { status: 0, port: instance.port, body: null, error: (error as Error).cause ? String((error as Error).cause) : String(error) };
    }
  }

  /**
   * For setup and teardown: repeats until the answer is `expected` (faults may be in progress).
   * Each unexpected answer is told to `onMiss` (which instance, what it answered).
   */
  async must(method: string, path: string, body: unknown, expected: number, attempts = 20, onMiss?: (answer: ApiAnswer) => void): Promise<ApiAnswer> {
    let last: ApiAnswer = { status: 0, port: 0, body: null };
    for (let attempt = 0; attempt < attempts; attempt++) {
      last = await this.call(method, path, body);
      if (last.status === expected) return last;
      onMiss?.(last);
      await sleep(500);
    }
    throw new Error(`${method} ${path} answered ${last.status} ${last.error ?? JSON.stringify(last.body).slice(0, 300)} (expected ${expected})`);
  }
}

export interface JobRef {
  id: string;
  name: string;
  kind: "tick" | "manual" | "sleep";
}

export interface RunNow {
  executionId: string;
  jobId: string;
  kind: "manual" | "sleep";
  at: number;
}

export interface CancelCall {
  executionId: string;
  status: number;
  at: number;
}

export interface WorkloadOptions {
  sinkUrl: string;
  tickJobs: number;
  manualJobs: number;
  sleepJobs: number;
  runNowsPerSecond: number;
  sleepRunsPerSecond: number;
  cancelShare: number;
  random: () => number;
}

const pad = (n: number) => String(n).padStart(3, "0");

export class Workload {
  readonly jobs: JobRef[] = [];
  readonly runNows: RunNow[] = [];
  /** Run-now and cancel calls that did not answer 202/200/409, by "<what> <status or error>". */
  readonly refused = new Map<string, number>();
  readonly cancels: CancelCall[] = [];
  private timers: NodeJS.Timeout[] = [];
  private pending = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly api: Api,
    private readonly options: WorkloadOptions,
  ) {}

  get plannedJobs(): number {
    return this.options.tickJobs + this.options.manualJobs + this.options.sleepJobs;
  }

  byKind(kind: JobRef["kind"]): JobRef[] {
    return this.jobs.filter((job) => job.kind === kind);
  }

  async createJobs(): Promise<void> {
    const { sinkUrl } = this.options;
    const specs: { kind: JobRef["kind"]; input: Record<string, unknown> }[] = [];
    const http = (path: string) => ({ method: "POST", url: `${sinkUrl}${path}`, body: { from: "tickwork chaos" }, timeoutMs: 15_000 });
    for (let i = 1; i <= this.options.tickJobs; i++) {
      specs.push({
        kind: "tick",
        input: {
          name: `chaos tick ${pad(i)}`,
          type: "http.request",
          params: http(`/tick/${pad(i)}`),
          schedule: { type: "cron", expression: "* * * * * *", timezone: "UTC" },
          overlapPolicy: "skip",
          // Missed fire times become a SKIPPED record rather than vanishing, so the proof stays exact.
          misfirePolicy: "skip",
          maxAttempts: 2,
          retryBackoffSeconds: 1,
        },
      });
    }
    for (let i = 1; i <= this.options.manualJobs; i++) {
      specs.push({
        kind: "manual",
        input: { name: `chaos manual ${pad(i)}`, type: "http.request", params: http(`/manual/${pad(i)}`), schedule: { type: "manual" }, maxAttempts: 2, retryBackoffSeconds: 1 },
      });
    }
    for (let i = 1; i <= this.options.sleepJobs; i++) {
      specs.push({
        kind: "sleep",
        input: { name: `chaos sleep ${pad(i)}`, type: "demo.sleep", params: { durationMs: 5000, steps: 5 }, schedule: { type: "manual" }, overlapPolicy: "allow" },
      });
    }
    await eachLimit(specs, 4, async (spec) => {
      const answer = await this.api.must("POST", "/api/jobs", spec.input, 201);
      const job = answer.body as { id: string; name: string };
      this.jobs.push({ id: job.id, name: job.name, kind: spec.kind });
    });
    this.jobs.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Starts the run-now and cancel streams. */
  start(): void {
    const manual = this.byKind("manual");
    const sleepers = this.byKind("sleep");
    let manualTurn = 0;
    let sleepTurn = 0;
    if (manual.length > 0 && this.options.runNowsPerSecond > 0) {
      this.timers.push(setInterval(() => this.track(this.runNow(manual[manualTurn++ % manual.length], "manual")), 1000 / this.options.runNowsPerSecond));
    }
    if (sleepers.length > 0 && this.options.sleepRunsPerSecond > 0) {
      this.timers.push(
        setInterval(() => {
          const started = this.runNow(sleepers[sleepTurn++ % sleepers.length], "sleep").then((executionId) => {
            if (!executionId || this.options.random() >= this.options.cancelShare) return;
            // Cancel while it runs (or, now and then, while it still waits for a worker).
            const delay = 300 + this.options.random() * 2700;
            this.track(sleep(delay).then(() => this.cancel(executionId)));
          });
          this.track(started);
        }, 1000 / this.options.sleepRunsPerSecond),
      );
    }
  }

  /** Stops the streams and waits for calls in flight (and cancels already planned). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    // Each call has a 15 s deadline, and a planned cancel waits 3 s at most: this ends (the caller bounds it too).
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Disables the every-second jobs (the end of the workload); reports progress and every kind of unexpected answer once. */
  async disableTickJobs(log: (message: string) => void): Promise<void> {
    const jobs = this.byKind("tick");
    let done = 0;
    const misses = new Map<string, number>();
    const progress = setInterval(() => log(`disabling: ${done} of ${jobs.length} done; unexpected answers: ${[...misses].map(([key, n]) => `${key} ×${n}`).join(", ") || "none"}`), 10_000);
    const onMiss = (answer: ApiAnswer) => {
      const key = `:${answer.port} ${answer.status || answer.error}`;
      if (!misses.has(key)) log(`disable: ${key} ${answer.status ? JSON.stringify(answer.body).slice(0, 200) : ""} (retrying)`);
      misses.set(key, (misses.get(key) ?? 0) + 1);
    };
    try {
      await eachLimit(jobs, 8, async (job) => {
        await this.api.must("POST", `/api/jobs/${job.id}/disable`, undefined, 200, 60, onMiss);
        done++;
      });
    } finally {
      clearInterval(progress);
    }
  }

  private track(promise: Promise<unknown>) {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private count(key: string) {
    this.refused.set(key, (this.refused.get(key) ?? 0) + 1);
  }

  private async runNow(job: JobRef, kind: RunNow["kind"]): Promise<string | null> {
    if (this.stopping) return null;
    const at = Date.now();
    const answer = await this.api.call("POST", `/api/jobs/${job.id}/run`);
    const executionId = (answer.body as { execution?: { id?: string } } | null)?.execution?.id;
    if (answer.status === 202 && executionId) {
      this.runNows.push({ executionId, jobId: job.id, kind, at });
      return executionId;
    }
    this.count(`run-now ${answer.status || answer.error}`);
    return null;
  }

  private async cancel(executionId: string): Promise<void> {
    const at = Date.now();
    const answer = await this.api.call("POST", `/api/executions/${executionId}/cancel`);
    if ([200, 202, 409].includes(answer.status)) this.cancels.push({ executionId, status: answer.status, at });
    else this.count(`cancel ${answer.status || answer.error}`);
  }
}
