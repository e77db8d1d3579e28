// The tick as an HTTP call, for hosts that cannot keep a process running (previews, serverless):
// POST /api/cron/tick with `Authorization: Bearer $CRON_SECRET`.
import crypto from "node:crypto";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { engineConfig } from "./config";
import { sweepStalled } from "./sweep";
import { tick } from "./tick";

function secretMatches(header: string | null): boolean {
  const secret = env.CRON_SECRET;
  const given = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1];
  if (!secret || !given) return false;
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}

export async function driveTick(authorization: string | null) {
  if (!env.CRON_SECRET) throw new DomainError("FORBIDDEN", "Set CRON_SECRET to drive the scheduler over HTTP");
  if (!secretMatches(authorization)) throw new DomainError("UNAUTHENTICATED", "Send Authorization: Bearer <CRON_SECRET>");
  // Sweep first, so a run that died does not make this tick's fire look like an overlap.
  const config = engineConfig({ workerId: "http-tick" });
  const swept = await sweepStalled(new Date(), config.stallMs);
  const result = await tick(new Date(), config);
  return { ...result, stalled: swept.length, at: new Date().toISOString() };
}
