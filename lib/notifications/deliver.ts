// The sender's side of the outbox. A claim is one conditional UPDATE of rows locked FOR UPDATE SKIP
// LOCKED that counts the attempt and leases the row (next_attempt_at moves past the attempt's
// deadline), so several instances never send one delivery at the same time; the outcome is recorded
// only by the sender whose lease it is (the attempt count still matches). A sender killed mid-send
// leaves the row pending: when the lease ends another sender tries again, and the receiver can
// tell the repeat by its Tickwork-Delivery id.
import { getPrisma, type NotificationChannel, type NotificationDelivery } from "@/lib/db";
import { countDelivery } from "@/lib/metrics";
import { backoffAfter, leaseMs, type NotifierConfig } from "./config";
import type { Payload } from "./payload";
import { sendNotification, type SendOutcome } from "./send";

export type Claimed = NotificationDelivery & { channel: NotificationChannel };

export async function claimDeliveries(limit: number, config: NotifierConfig): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const db = await getPrisma();
  const leaseEnds = new Date(Date.now() + leaseMs(config));
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = ${leaseEnds}, updated_at = now()
    WHERE id IN (
      SELECT id FROM notification_deliveries
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    AND status = 'pending'
    RETURNING id`;
  if (claimed.length === 0) return [];
  return db.notificationDelivery.findMany({ where: { id: { in: claimed.map((row) => row.id) } }, include: { channel: true }, orderBy: { createdAt: "asc" } });
}

/** Sends one claimed delivery and records the outcome: delivered, pending again after a backoff, or failed after the last attempt. */
export async function attemptDelivery(delivery: Claimed, config: NotifierConfig): Promise<SendOutcome> {
  const outcome: SendOutcome = delivery.channel.enabled
    ? await sendNotification(delivery.channel, delivery.payload as unknown as Payload, delivery.id, config.timeoutMs)
    : { ok: false, status: null, error: "The channel is disabled; retry once it is enabled again" };
  const last = !delivery.channel.enabled || delivery.attempts >= config.maxAttempts;
  const status = outcome.ok ? "delivered" : last ? "failed" : "pending";
  const now = new Date();
  const db = await getPrisma();
  await db.notificationDelivery.updateMany({
    where: { id: delivery.id, status: "pending", attempts: delivery.attempts },
    data: {
      status,
      lastStatus: outcome.status,
      lastError: outcome.error,
      updatedAt: now,
      ...(outcome.ok ? { deliveredAt: now } : {}),
      ...(status === "pending" ? { nextAttemptAt: new Date(now.getTime() + backoffAfter(config, delivery.attempts)) } : {}),
    },
  });
  countDelivery(delivery.channel.kind, status === "pending" ? "retrying" : status);
  return outcome;
}

/** One pass: claims what is due (up to `limit`) and sends it all. The notifier's loop does the same without waiting for the batch. */
export async function deliverDue(config: NotifierConfig, limit = config.concurrency): Promise<{ claimed: number; delivered: number }> {
  const claimed = await claimDeliveries(limit, config);
  const outcomes = await Promise.all(claimed.map((delivery) => attemptDelivery(delivery, config)));
  return { claimed: claimed.length, delivered: outcomes.filter((outcome) => outcome.ok).length };
}
