// Typed configuration, parsed once from process.env. Domain code reads `env`, never process.env.
import { z } from "zod";
import { parseAllowList } from "./outbound/policy";
import { PasswordSchema } from "@/lib/auth/password-rule";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((value) => (value === undefined || value === "" ? undefined : ["1", "true", "yes"].includes(value)));

/**
 * Executions one worker runs at once unless TICKWORK_WORKER_CONCURRENCY says otherwise. A slot is
 * busy only while a handler runs, and most handlers wait on a server or a process: at 8, 2,000 no-op
 * jobs due in the same second took 3.4-4.5 s to start, and 8 webhooks of 200 ms run 40 a second.
 */
export const DEFAULT_WORKER_CONCURRENCY = 64;

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** Connections per process; the embedded database always uses one. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  TICKWORK_DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: z.string().min(16).optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: PasswordSchema.optional(),
  TICKWORK_DEMO_JOBS: flag,
  TICKWORK_ROLE: z.enum(["all", "web", "scheduler", "worker"]).default("all"),
  CRON_SECRET: z.string().min(16).optional(),
  /** The time budget of one GET/POST /api/cron/tick; the route's maxDuration is 60 s. */
  TICKWORK_HTTP_TICK_SECONDS: z.coerce.number().int().min(1).max(55).default(50),
  /** Set by Vercel (and other serverless hosts we detect): no process outlives a request. */
  VERCEL: flag,
  VERCEL_ENV: z.enum(["production", "preview", "development"]).optional(),
  VERCEL_URL: z.string().optional(),
  VERCEL_BRANCH_URL: z.string().optional(),
  VERCEL_GIT_COMMIT_REF: z.string().optional(),
  VERCEL_GIT_COMMIT_SHA: z.string().optional(),
  /** Shows the preview banner and seeds demo jobs into an empty database, as on a Vercel preview. */
  TICKWORK_PREVIEW: flag,
  TICKWORK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(DEFAULT_WORKER_CONCURRENCY),
  TICKWORK_WORKER_ID: z.string().min(1).max(100).optional(),
  TICKWORK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  TICKWORK_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  TICKWORK_STALL_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  TICKWORK_CANCEL_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  TICKWORK_MISFIRE_GRACE_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  TICKWORK_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  TICKWORK_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /** A JSON file listing the commands `command` jobs may run; unset: no `command` handler. */
  TICKWORK_COMMANDS: z.string().min(1).optional(),
  /** Hosts, IPs and CIDRs that http.request may call although they are private, loopback, link-local… */
  TICKWORK_HTTP_ALLOW: z
    .string()
    .default("")
    .superRefine((text, ctx) => {
      try {
        parseAllowList(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  /** 32 bytes, base64 or hex, that encrypt the secrets store; derived from the auth secret when unset. */
  TICKWORK_SECRETS_KEY: z
    .string()
    .optional()
    .refine((key) => key === undefined || key === "" || secretsKeyBytes(key) !== null, {
      message: "Use 32 random bytes as base64 or hex, e.g. openssl rand -base64 32",
    }),
  /** Reverse proxies in front of the app that append to X-Forwarded-For; 0 trusts none of it. */
  TICKWORK_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How far V8 may grow the heap past what survived the last full collection, in percent; 0 leaves it to V8 (up to 300). */
  TICKWORK_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(50),
  TICKWORK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** The console's public address, for links in notifications; NEXTAUTH_URL when unset. */
  TICKWORK_PUBLIC_URL: z.string().url().optional(),
  /** The mail server of email notification channels, e.g. smtp://user:pass@mail.internal:587 (smtps:// for TLS). */
  SMTP_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || url === "" || /^smtps?:\/\/[^/]/.test(url), { message: "Use smtp://[user:pass@]host[:port] or smtps://…" }),
  /** The From of notification emails. */
  SMTP_FROM: z.string().min(3).default("Tickwork <tickwork@localhost>"),
  /** Notification deliveries one instance sends at once, beside the worker's own concurrency. */
  TICKWORK_NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** How long one delivery attempt may take before it counts as failed. */
  TICKWORK_NOTIFY_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(10),
  /** A bearer token that may read GET /api/metrics only (for Prometheus), besides viewer tokens. */
  METRICS_TOKEN: z.string().min(16).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** TICKWORK_SECRETS_KEY as 32 bytes, or null when it is neither 64 hex digits nor base64 of 32 bytes. */
export function secretsKeyBytes(key: string): Buffer | null {
  const text = key.trim();
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64");
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

/** The configuration in `source`, or an error that names each bad setting and why. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv();

// next-auth reads NEXTAUTH_URL itself; on Vercel the deployment's own address is the right default.
const vercelHost = env.VERCEL_BRANCH_URL ?? env.VERCEL_URL;
if (!process.env.NEXTAUTH_URL && vercelHost) process.env.NEXTAUTH_URL = `https://${vercelHost}`;

/** Where people reach the console, for links sent outside it (notifications). */
export function publicUrl(): string {
  const url = env.TICKWORK_PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return url.replace(/\/+$/, "");
}

export const usesEmbeddedDatabase = (): boolean => !env.DATABASE_URL;

/** No process outlives a request here: nothing may start a loop, and the engine runs in GET /api/cron/tick. */
export const isServerless = (): boolean => env.VERCEL === true;

/** A review deployment: the console says so, and an empty database gets the demo jobs. */
export function previewInfo(): { branch: string | null; commit: string | null } | null {
  if (env.VERCEL_ENV !== "preview" && env.TICKWORK_PREVIEW !== true) return null;
  return { branch: env.VERCEL_GIT_COMMIT_REF ?? null, commit: env.VERCEL_GIT_COMMIT_SHA?.slice(0, 7) ?? null };
}
