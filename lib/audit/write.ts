// Audit events are written by services inside the transaction of the change they describe.
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/auth/roles";
import { redactChanges } from "@/lib/secrets/redact";
import type { AuditAction } from "./schemas";

export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface AuditInput {
  actor: Actor;
  action: AuditAction;
  targetType: "job" | "execution" | "token" | "user" | "secret" | "channel" | "system";
  targetId: string | null;
  summary: string;
  changes?: Changes;
}

export async function writeAudit(tx: Tx, input: AuditInput): Promise<void> {
  // Inline credentials in params never reach the audit table.
  const changes = input.changes && redactChanges(input.changes);
  await tx.auditEvent.create({
    data: {
      actor: input.actor.name,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      summary: input.summary,
      changes: changes && Object.keys(changes).length > 0 ? (changes as object) : undefined,
    },
  });
}

/** JSON with object keys sorted: jsonb does not keep key order, so plain JSON.stringify would see changes that are not there. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** The fields whose value differs between two plain objects, as `{ field: { from, to } }`. */
export function diff<T extends Record<string, unknown>>(before: Partial<T>, after: Partial<T>): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    // A missing value counts as null, so a new record does not list its empty fields as changed.
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (!same(from, to)) changes[key] = { from, to };
  }
  return changes;
}
