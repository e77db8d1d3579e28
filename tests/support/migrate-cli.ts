// Runs the migrator once, as a separate process would at start, and prints its result as JSON.
// Usage: node --import tsx tests/support/migrate-cli.ts <database-url> [migrations-dir]
import { migrate, readMigrations } from "../../lib/db/migrate";

const [url, dir] = process.argv.slice(2);
if (!url) throw new Error("Usage: migrate-cli.ts <database-url> [migrations-dir]");
const result = await migrate(url, dir ? readMigrations(dir) : undefined);
process.stdout.write(JSON.stringify(result));
