// System-managed jobs are declared here and upserted at start. Operators can see and run them,
// never change them: the services answer SYSTEM_MANAGED.
import { getPrisma } from "@/lib/db";
import { parseParams } from "@/lib/handlers/registry";
import type { Schedule } from "./schemas";
import { scheduleColumns } from "./serialize";
import { nextRunFor } from "./store";

interface SystemJob {
  key: string;
  name: string;
  description: string;
  type: string;
  params: Record<string, unknown>;
  schedule: Schedule;
  timeoutSeconds: number;
}

export const SYSTEM_JOBS: SystemJob[] = [
  {
    key: "execution-retention",
    name: "Execution history retention",
    description: "Deletes finished executions older than 30 days, every day at 03:15 UTC.",
    type: "system.retention",
    params: { keepDays: 30 },
    schedule: { type: "cron", expression: "15 3 * * *", timezone: "UTC" },
    timeoutSeconds: 1800,
  },
];

/** Creates missing system jobs and brings changed declarations up to date, keeping their history. */
export async function upsertSystemJobs(): Promise<void> {
  const db = await getPrisma();
  for (const declared of SYSTEM_JOBS) {
    const params = parseParams(declared.type, declared.params, { allowSystem: true });
    const definition = {
      name: declared.name,
      description: declared.description,
      type: declared.type,
      params: params as object,
      ...scheduleColumns(declared.schedule),
      timeoutSeconds: declared.timeoutSeconds,
    };
    const existing = await db.job.findUnique({ where: { systemKey: declared.key } });
    if (!existing) {
      await db.job.create({
        data: {
          ...definition,
          systemKey: declared.key,
          createdBy: "system",
          nextRunAt: nextRunFor({ enabled: true, health: "active", schedule: declared.schedule }),
        },
      });
      continue;
    }
    const unchanged =
      existing.name === definition.name &&
      existing.description === definition.description &&
      existing.cronExpression === definition.cronExpression &&
      existing.timezone === definition.timezone &&
      existing.timeoutSeconds === definition.timeoutSeconds &&
      JSON.stringify(existing.params) === JSON.stringify(definition.params);
    if (unchanged && existing.deletedAt === null) continue;
    await db.job.update({
      where: { id: existing.id },
      data: {
        ...definition,
        deletedAt: null,
        version: { increment: 1 },
        nextRunAt: nextRunFor({ enabled: existing.enabled, health: existing.health, schedule: declared.schedule }),
      },
    });
  }
}
