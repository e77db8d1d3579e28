// The outbox: notices become delivery rows in the transaction of the change that caused them (a
// completion, a tick's SKIPPED fires, a late run), so a delivery exists exactly when its event
// committed, and a crash before sending loses nothing (the sender finds the row). Repeated identical
// events (same channel, event, job and error code) make at most one delivery a minute; the ones held
// back are counted and the count rides on the next delivery.
//
// Every caller holds the locks of the notices' jobs (the engine's lock order), and every throttle
// key names its job, so two transactions never race for one throttle row. The watching channels
// are locked FOR KEY SHARE before any throttle row: a channel's deletion (which cascades to its
// throttle rows) then waits for this transaction or is seen, never deadlocks with it; an edit of a
// channel (NO KEY UPDATE) does not conflict at all.
import type { Prisma, Tx } from "@/lib/db";
import { payloadOf, type Notice } from "./payload";
import type { ChannelEvent } from "./schemas";

export const THROTTLE_MS = 60_000;
const THROTTLED: ReadonlySet<ChannelEvent> = new Set(["failed", "skipped", "late"]);

interface WatchingChannel {
  id: string;
  events: string[];
  all_jobs: boolean;
  job_ids: string[];
}

interface Throttle {
  channel_id: string;
  key: string;
  last_sent_at: Date;
  suppressed: number;
}

const throttleKey = (notice: Notice) => `${notice.event}:${notice.job.id}:${notice.execution?.errorCode ?? ""}`;

export async function enqueueNotifications(tx: Tx, notices: Notice[], now = new Date()): Promise<number> {
  if (notices.length === 0) return 0;
  const events = [...new Set(notices.map((notice) => notice.event))];
  const jobIds = [...new Set(notices.map((notice) => notice.job.id))];
  const channels = await tx.$queryRaw<WatchingChannel[]>`
    SELECT id, events, all_jobs, job_ids::text[] AS job_ids FROM notification_channels
    WHERE enabled AND events && ${events}::text[] AND (all_jobs OR job_ids && ${jobIds}::uuid[])
    ORDER BY id
    FOR KEY SHARE`;
  if (channels.length === 0) return 0;

  const pairs = notices.flatMap((notice) =>
    channels.filter((channel) => channel.events.includes(notice.event) && (channel.all_jobs || channel.job_ids.includes(notice.job.id))).map((channel) => ({ channel, notice })),
  );
  const deliveries: Prisma.NotificationDeliveryCreateManyInput[] = [];
  // Throttled pairs grouped by channel and throttle key: the first of a group may be sent, the rest are counted.
  const groups = new Map<string, { channelId: string; key: string; notices: Notice[] }>();
  for (const { channel, notice } of pairs) {
    if (!THROTTLED.has(notice.event)) {
      deliveries.push(deliveryRow(channel.id, notice, 0, now));
      continue;
    }
    const key = throttleKey(notice);
    const group = groups.get(`${channel.id}|${key}`) ?? { channelId: channel.id, key, notices: [] };
    group.notices.push(notice);
    groups.set(`${channel.id}|${key}`, group);
  }

  const previous = await lockThrottles(tx, [...groups.values()]);
  const updates: Throttle[] = [];
  for (const [id, { channelId, key, notices: held }] of groups) {
    const before = previous.get(id);
    if (!before || now.getTime() - before.last_sent_at.getTime() >= THROTTLE_MS) {
      deliveries.push(deliveryRow(channelId, held[0], before?.suppressed ?? 0, now));
      updates.push({ channel_id: channelId, key, last_sent_at: now, suppressed: held.length - 1 });
    } else {
      updates.push({ channel_id: channelId, key, last_sent_at: before.last_sent_at, suppressed: before.suppressed + held.length });
    }
  }
  if (updates.length > 0) {
    await tx.$executeRaw`
      INSERT INTO notification_throttles (channel_id, key, last_sent_at, suppressed)
      SELECT channel_id, key, last_sent_at, suppressed
      FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS v(channel_id uuid, key text, last_sent_at timestamptz, suppressed int)
      ORDER BY channel_id, key
      ON CONFLICT (channel_id, key) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at, suppressed = EXCLUDED.suppressed`;
  }
  if (deliveries.length > 0) await tx.notificationDelivery.createMany({ data: deliveries });
  return deliveries.length;
}

async function lockThrottles(tx: Tx, keys: { channelId: string; key: string }[]): Promise<Map<string, Throttle>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.$queryRaw<Throttle[]>`
    SELECT t.channel_id::text AS channel_id, t.key, t.last_sent_at, t.suppressed
    FROM notification_throttles t
    JOIN unnest(${keys.map((k) => k.channelId)}::uuid[], ${keys.map((k) => k.key)}::text[]) AS k(channel_id, key)
      ON t.channel_id = k.channel_id AND t.key = k.key
    ORDER BY t.channel_id, t.key
    FOR UPDATE OF t`;
  return new Map(rows.map((row) => [`${row.channel_id}|${row.key}`, row]));
}

function deliveryRow(channelId: string, notice: Notice, suppressed: number, now: Date): Prisma.NotificationDeliveryCreateManyInput {
  return {
    channelId,
    event: notice.event,
    jobId: notice.job.id,
    executionId: notice.execution?.id ?? null,
    payload: payloadOf(notice, suppressed) as unknown as Prisma.InputJsonValue,
    suppressed,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
}
