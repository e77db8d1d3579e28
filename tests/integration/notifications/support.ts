// Shared steps of the notification tests: channels made through the API, the notifier's config for
// tests (short backoff and deadlines), delivery rows, and checking a webhook signature as a
// receiver would.
import crypto from "node:crypto";
import { expect } from "vitest";
import { getPrisma } from "@/lib/db";
import { notifierConfig, type NotifierConfig } from "@/lib/notifications/config";
import type { ChannelInput } from "@/lib/notifications/schemas";
import { api } from "../../support/api";

export const testNotifierConfig = (overrides: Partial<NotifierConfig> = {}) =>
  notifierConfig({ backoffMs: 20, timeoutMs: 2000, pollMs: 50, lateCheckMs: 50, ...overrides });

/** POST /api/channels as `token`, expecting 201; the channel with its secret. */
export async function postChannel(token: string, input: Partial<ChannelInput> & Pick<ChannelInput, "target">) {
  const response = await api("POST", "/api/channels", {
    token,
    body: { name: `Channel ${crypto.randomUUID().slice(0, 6)}`, kind: "webhook", events: ["failed", "recovered", "paused", "skipped", "late"], ...input },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; secret: string; [key: string]: any };
}

export async function deliveriesOf(channelId: string) {
  const db = await getPrisma();
  return db.notificationDelivery.findMany({ where: { channelId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** Verifies `Tickwork-Signature: t=<unix>,v1=<hex>` over "<t>.<body>" with the channel's secret, as docs/api.md tells receivers to. */
export function verifySignature(header: string | string[] | undefined, body: string, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!match) return false;
  const expected = crypto.createHmac("sha256", secret).update(`${match[1]}.${body}`).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(match[2], "hex")) && Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
}

/** Disables every channel, so one test's channels see nothing of the next test's runs. */
export async function disableChannels() {
  const db = await getPrisma();
  await db.notificationChannel.updateMany({ data: { enabled: false } });
  await db.notificationDelivery.updateMany({ where: { status: "pending" }, data: { status: "failed", lastError: "Settled by the test" } });
}
