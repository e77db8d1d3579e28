// POST /api/channels/:id/test: sends a test notification now, outside the outbox, and answers with
// what the endpoint said (its status, or the connection error). Recorded in the delivery log.
import crypto from "node:crypto";
import { getPrisma, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { countDelivery } from "@/lib/metrics";
import { notifierConfig } from "./config";
import { testPayload } from "./payload";
import type { TestResultDto } from "./schemas";
import { sendNotification } from "./send";
import { toDeliveryDto } from "./store";

export async function testChannel({ actor, input }: { actor: Actor | null; input: { id: string } }): Promise<TestResultDto> {
  requireRole(actor, "admin");
  const db = await getPrisma();
  const channel = await db.notificationChannel.findUnique({ where: { id: input.id } });
  if (!channel) throw notFound("Channel");
  const id = crypto.randomUUID();
  const payload = testPayload();
  const started = Date.now();
  const outcome = await sendNotification(channel, payload, id, notifierConfig().timeoutMs);
  const durationMs = Date.now() - started;
  countDelivery(channel.kind, outcome.ok ? "delivered" : "failed");
  const now = new Date();
  const delivery = await db.notificationDelivery.create({
    data: {
      id,
      channelId: channel.id,
      event: "test",
      payload: payload as unknown as Prisma.InputJsonValue,
      status: outcome.ok ? "delivered" : "failed",
      attempts: 1,
      lastStatus: outcome.status,
      lastError: outcome.error,
      deliveredAt: outcome.ok ? now : null,
      nextAttemptAt: now,
    },
  });
  return { ok: outcome.ok, status: outcome.status, error: outcome.error, durationMs, delivery: toDeliveryDto(delivery) };
}
