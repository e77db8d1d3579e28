// The audit domain's schemas, free of database imports so the console's client code can use them.
import { z } from "zod";
import { PageQuery } from "@/lib/http/pagination";

/** Every action an audit event can record, in the order the console lists them. */
export const AUDIT_ACTIONS = [
  "job.create",
  "job.update",
  "job.delete",
  "job.enable",
  "job.disable",
  "job.reset",
  "job.run",
  "job.pause",
  "job.resume",
  "job.backfill",
  "execution.cancel",
  "execution.enqueue",
  "executions.cleanup_stalled",
  "maintenance.set",
  "maintenance.clear",
  "token.create",
  "token.revoke",
  "user.create",
  "user.update",
  "secret.set",
  "secret.delete",
  "auth.sign_in",
  "auth.sign_in_failed",
  "channel.create",
  "channel.update",
  "channel.delete",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditQuery = PageQuery.extend({
  targetId: z.string().max(200).optional(),
  actor: z.string().max(320).optional(),
  action: z.string().max(100).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEventSchema = z.object({
  id: z.string().uuid(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  summary: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
});
export type AuditEventDto = z.infer<typeof AuditEventSchema>;
