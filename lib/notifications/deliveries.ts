// A channel's delivery log (operator), newest first, and retrying a failed delivery (admin): it
// goes back to pending with a fresh five attempts, for the notifier to send.
import { getPrisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError, notFound } from "@/lib/errors";
import { paginate, type Page } from "@/lib/http/pagination";
import type { DeliveryDto, DeliveryQuery } from "./schemas";
import { toDeliveryDto } from "./store";

export async function listDeliveries({ actor, input }: { actor: Actor | null; input: DeliveryQuery & { channelId: string } }): Promise<Page<DeliveryDto>> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  if (!(await db.notificationChannel.findUnique({ where: { id: input.channelId }, select: { id: true } }))) throw notFound("Channel");
  const where = { channelId: input.channelId, ...(input.status ? { status: input.status } : {}) };
  const [rows, total] = await Promise.all([
    db.notificationDelivery.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...paginate(input) }),
    db.notificationDelivery.count({ where }),
  ]);
  return { items: rows.map(toDeliveryDto), total, page: input.page, pageSize: input.pageSize };
}

export async function retryDelivery({ actor, input }: { actor: Actor | null; input: { channelId: string; deliveryId: string } }): Promise<DeliveryDto> {
  requireRole(actor, "admin");
  const db = await getPrisma();
  const [row] = await db.notificationDelivery.updateManyAndReturn({
    where: { id: input.deliveryId, channelId: input.channelId, status: "failed", event: { not: "test" } },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() },
  });
  if (row) return toDeliveryDto(row);
  const existing = await db.notificationDelivery.findFirst({ where: { id: input.deliveryId, channelId: input.channelId } });
  if (!existing) throw notFound("Delivery");
  throw new DomainError(
    "INVALID_STATE",
    existing.event === "test" ? "A test is not retried; send a new test instead" : `Only a failed delivery can be retried; this one is ${existing.status}`,
  );
}
