// What the channel services share: the answer shapes, the signing secret (encrypted like the
// secrets store) and the checks that need the server: the outbound policy, SMTP_URL and job ids.
import crypto from "node:crypto";
import type { NotificationChannel, NotificationDelivery, Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError, notFound } from "@/lib/errors";
import { outboundPolicy } from "@/lib/outbound/config";
import { literalRefusal } from "@/lib/outbound/policy";
import { open, seal } from "@/lib/secrets/crypto";
import { headline, type Payload } from "./payload";
import { targetProblem, type ChannelDto, type ChannelEvent, type ChannelKind, type DeliveryDto } from "./schemas";

export const toChannelDto = (row: NotificationChannel): ChannelDto => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  target: row.target,
  events: row.events as ChannelEvent[],
  jobIds: row.allJobs ? null : row.jobIds,
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  createdBy: row.createdBy,
});

export const toDeliveryDto = (row: NotificationDelivery): DeliveryDto => ({
  id: row.id,
  channelId: row.channelId,
  event: row.event,
  jobId: row.jobId,
  executionId: row.executionId,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
  lastError: row.lastError,
  lastStatus: row.lastStatus,
  suppressed: row.suppressed,
  createdAt: row.createdAt.toISOString(),
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  summary: headline(row.payload as unknown as Payload),
});

/** The AES-GCM additional data of a channel's secret: a value copied to another row does not decrypt. */
const secretName = (channelId: string) => `channel:${channelId}`;

export function newSecret(channelId: string) {
  const secret = `whsec_${crypto.randomBytes(24).toString("base64url")}`;
  const sealed = seal(secretName(channelId), secret);
  return { secret, columns: { secretCiphertext: sealed.ciphertext, secretIv: sealed.iv, secretAuthTag: sealed.authTag, secretKeyId: sealed.keyId } };
}

export function channelSecret(row: Pick<NotificationChannel, "id" | "secretCiphertext" | "secretIv" | "secretAuthTag" | "secretKeyId">): string {
  return open(secretName(row.id), { ciphertext: row.secretCiphertext, iv: row.secretIv, authTag: row.secretAuthTag, keyId: row.secretKeyId });
}

const invalid = (field: string, message: string, path: string = field) =>
  new DomainError("VALIDATION_FAILED", message, { field, details: [{ path, message }] });

/** 400 unless the kind can be used here and the target fits it and the outbound policy. */
export function assertUsableTarget(kind: ChannelKind, target: string): void {
  if (kind === "email" && !env.SMTP_URL) {
    throw invalid("kind", "Email channels need a mail server: set SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) and restart Tickwork");
  }
  const problem = targetProblem(kind, target);
  if (problem) throw invalid("target", problem);
  if (kind !== "email") {
    const refusal = literalRefusal(outboundPolicy(), new URL(target));
    if (refusal) throw invalid("target", refusal);
  }
}

/** 400 naming each id that is not a live job. (One deleted later stays listed and simply never fires.) */
export async function assertJobsExist(tx: Tx, jobIds: string[] | null): Promise<void> {
  if (!jobIds || jobIds.length === 0) return;
  const found = new Set(
    (await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM jobs WHERE id = ANY(${jobIds}::uuid[]) AND deleted_at IS NULL`).map((row) => row.id),
  );
  const details = jobIds.flatMap((id, index) => (found.has(id) ? [] : [{ path: `jobIds.${index}`, message: `No job with id ${id}` }]));
  if (details.length > 0) throw new DomainError("VALIDATION_FAILED", `Unknown job id${details.length === 1 ? "" : "s"} in jobIds`, { field: "jobIds", details });
}

/**
 * Locks a channel for an edit (NO KEY UPDATE: the engine's delivery inserts, which take KEY SHARE
 * through their foreign key, never wait for it) or for its deletion (UPDATE: they do, since the
 * deletion cascades to the deliveries and throttle rows they touch).
 */
export async function lockChannel(tx: Tx, id: string, purpose: "edit" | "delete"): Promise<NotificationChannel> {
  const [locked] =
    purpose === "edit"
      ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM notification_channels WHERE id = ${id}::uuid FOR NO KEY UPDATE`
      : await tx.$queryRaw<{ id: string }[]>`SELECT id FROM notification_channels WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked) throw notFound("Channel");
  return tx.notificationChannel.findUniqueOrThrow({ where: { id } });
}

/** Whether email channels can be made here: the console says so before anyone tries. */
export const emailAvailable = (): boolean => Boolean(env.SMTP_URL);
