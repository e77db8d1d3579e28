import { getPrisma } from "@/lib/db";

export interface HealthReport {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  scheduler: { lastTickAt: string | null };
}

const DATABASE_TIMEOUT_MS = 3000;

export async function health(): Promise<HealthReport> {
  try {
    const db = await withTimeout(getPrisma(), DATABASE_TIMEOUT_MS);
    const [latest] = await withTimeout(
      db.$queryRaw<{ last_tick_at: Date | null }[]>`SELECT max(last_tick_at) AS last_tick_at FROM scheduler_instances`,
      DATABASE_TIMEOUT_MS,
    );
    return { status: "ok", database: "ok", scheduler: { lastTickAt: latest?.last_tick_at?.toISOString() ?? null } };
  } catch {
    return { status: "degraded", database: "unreachable", scheduler: { lastTickAt: null } };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}
