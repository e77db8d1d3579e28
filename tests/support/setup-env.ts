// Runs in each test worker before the test file is imported, so lib/env sees the test database.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
// pglite-socket serves one session; see lib/db/client.ts.
if (inject("databaseKind") === "embedded") process.env.DATABASE_POOL_SIZE = "1";
process.env.AUTH_SECRET ??= "test-secret-that-is-long-enough-0123456789";
process.env.TICKWORK_LOG_LEVEL ??= "warn";
// The outbound HTTP policy refuses loopback; the tests' local servers listen on 127.0.0.1 only
// (127.0.0.2 and [::1] stay refused, for the tests of the policy).
process.env.TICKWORK_HTTP_ALLOW ??= "127.0.0.1";
