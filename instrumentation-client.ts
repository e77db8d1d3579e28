// Runs in the browser before the console's own code. zod compiles object schemas with
// `new Function` when it may, and finds out by trying once: under the Content-Security-Policy
// (no 'unsafe-eval', see lib/http/security-headers.ts) that try is reported as a violation. The
// interpreted parser gives the same results.
import { z } from "zod";

z.config({ jitless: true });
