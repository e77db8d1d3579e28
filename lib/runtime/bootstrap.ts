// What every start does before serving: migrate (in getPrisma), system jobs, the first admin,
// and demo jobs on a brand-new embedded database.
import { getPrisma } from "@/lib/db";
import { env, usesEmbeddedDatabase } from "@/lib/env";
import { upsertSystemJobs } from "@/lib/jobs/system";
import { logger } from "@/lib/log";
import { createDemoJobs } from "./demo-jobs";
import { ensureFirstAdmin } from "./first-admin";

export async function bootstrap(): Promise<void> {
  await getPrisma();
  await upsertSystemJobs();
  const firstStart = await ensureFirstAdmin();
  const wantDemo = env.TICKWORK_DEMO_JOBS ?? usesEmbeddedDatabase();
  if (firstStart && wantDemo) {
    await createDemoJobs();
    logger.info("Created demo jobs (set TICKWORK_DEMO_JOBS=false to skip on a new database)");
  }
}
