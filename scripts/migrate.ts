// npm run db:migrate – applies pending migrations (the app also does this at start).
import { databaseTarget } from "@/lib/db/url";
import { migrate } from "@/lib/db/migrate";
import { runCli } from "./cli";

runCli(async () => {
  const { url } = await databaseTarget();
  const result = await migrate(url);
  console.log(`Applied ${result.applied.length} migration(s); ${result.alreadyApplied.length} were already applied.`);
  for (const name of result.applied) console.log(`  + ${name}`);
});
