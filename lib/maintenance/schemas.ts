// The maintenance window's schemas, free of database imports so console code can use them.
import { z } from "zod";

export const MaintenanceInput = z.strictObject({
  until: z.iso.datetime({ offset: true, message: "Use an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z" }).describe("Scheduled fires before this time are recorded SKIPPED (MAINTENANCE)"),
  reason: z.string().trim().min(1, "Say why, for the banner").max(500),
});
export type MaintenanceInput = z.infer<typeof MaintenanceInput>;

export const MaintenanceSchema = z.object({
  until: z.string().describe("ISO-8601 in UTC"),
  reason: z.string(),
  setBy: z.string(),
  setAt: z.string().describe("ISO-8601 in UTC"),
});
export type MaintenanceDto = z.infer<typeof MaintenanceSchema>;
