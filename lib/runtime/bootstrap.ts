// What every start does before serving: migrate (in getPrisma), system jobs, the first admin,
// and demo jobs on a brand-new embedded or preview database. Runs on serverless hosts too.
import { getPrisma } from "@/lib/db";
import { env, isServerless, previewInfo, usesEmbeddedDatabase } from "@/lib/env";
import { upsertSystemJobs } from "@/lib/jobs/system";
import { logger } from "@/lib/log";
import { createDemoJobs } from "./demo-jobs";
import { ensureFirstAdmin } from "./first-admin";

export async function bootstrap(): Promise<void> {
  if (isServerless() && usesEmbeddedDatabase()) {
    throw new Error(
      "Tickwork on a serverless host (VERCEL=1) needs DATABASE_URL: an embedded database cannot outlive a request. " +
        "Give each preview a PostgreSQL database (for example a Neon or Supabase branch) and set DATABASE_URL.",
    );
  }
  await getPrisma();
  await upsertSystemJobs();
  const firstStart = await ensureFirstAdmin();
  const wantDemo = env.TICKWORK_DEMO_JOBS ?? (usesEmbeddedDatabase() || previewInfo() !== null);
  if (firstStart && wantDemo) {
    await createDemoJobs();
    logger.info("Created demo jobs (set TICKWORK_DEMO_JOBS=false to skip on a new database)");
  }
}
