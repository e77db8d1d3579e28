// Typed configuration, parsed once from process.env. Domain code reads `env`, never process.env.
import { z } from "zod";
import { PasswordSchema } from "@/lib/auth/password-rule";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((value) => (value === undefined || value === "" ? undefined : ["1", "true", "yes"].includes(value)));

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
  TICKWORK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
  TICKWORK_WORKER_ID: z.string().min(1).max(100).optional(),
  TICKWORK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  TICKWORK_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  TICKWORK_STALL_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  TICKWORK_CANCEL_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  TICKWORK_MISFIRE_GRACE_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  TICKWORK_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  TICKWORK_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /** Reverse proxies in front of the app that append to X-Forwarded-For; 0 trusts none of it. */
  TICKWORK_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  TICKWORK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

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

export const usesEmbeddedDatabase = (): boolean => !env.DATABASE_URL;
