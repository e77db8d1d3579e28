// Typed configuration, parsed once from process.env. Domain code reads `env`, never process.env.
import { z } from "zod";

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
  ADMIN_PASSWORD: z.string().min(8).optional(),
  TICKWORK_DEMO_JOBS: flag,
  TICKWORK_ROLE: z.enum(["all", "web", "scheduler", "worker"]).default("all"),
  CRON_SECRET: z.string().min(16).optional(),
  TICKWORK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

function parseEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv();

export const usesEmbeddedDatabase = (): boolean => !env.DATABASE_URL;
