// The secrets store (admin): list (never a value), set (create or replace) and delete (refused
// while a live job uses the secret). Audited as secret.set and secret.delete, without values.
import { getPrisma } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { requireRole } from "@/lib/auth/guard";
import type { Actor } from "@/lib/auth/roles";
import { DomainError, notFound } from "@/lib/errors";
import { seal } from "./crypto";
import type { SecretDto, SecretInput } from "./schemas";
import { secretUsage } from "./usage";

type Row = { name: string; createdAt: Date; updatedAt: Date; updatedBy: string };

const toSecretDto = (row: Row, usedBy: { id: string }[] = []): SecretDto => ({
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  updatedBy: row.updatedBy,
  usedBy: usedBy.map((job) => job.id),
});

const SUMMARY_COLUMNS = { name: true, createdAt: true, updatedAt: true, updatedBy: true } as const;

export async function listSecrets({ actor }: { actor: Actor | null }): Promise<SecretDto[]> {
  return (await listSecretsWithJobs({ actor })).map(({ jobs: _jobs, ...secret }) => secret);
}

/** The console's view: each secret with the names of the jobs that use it, for the Settings page. */
export async function listSecretsWithJobs({ actor }: { actor: Actor | null }): Promise<(SecretDto & { jobs: { id: string; name: string }[] })[]> {
  requireRole(actor, "admin");
  const db = await getPrisma();
  const [rows, usage] = await Promise.all([db.secret.findMany({ select: SUMMARY_COLUMNS, orderBy: { name: "asc" } }), secretUsage(db)]);
  return rows.map((row) => ({ ...toSecretDto(row, usage.get(row.name)), jobs: usage.get(row.name) ?? [] }));
}

/** Just the names, for operators writing {{secrets.NAME}} in a job's params. */
export async function listSecretNames({ actor }: { actor: Actor | null }): Promise<string[]> {
  requireRole(actor, "operator");
  const db = await getPrisma();
  return (await db.secret.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((row) => row.name);
}

export async function setSecret({ actor, input }: { actor: Actor | null; input: SecretInput }): Promise<SecretDto> {
  const admin = requireRole(actor, "admin");
  const sealed = seal(input.name, input.value);
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const existing = await tx.secret.findUnique({ where: { name: input.name }, select: { name: true } });
    const row = await tx.secret.upsert({
      where: { name: input.name },
      create: { name: input.name, ...sealed, updatedBy: admin.name },
      update: { ...sealed, updatedBy: admin.name, updatedAt: new Date() },
      select: SUMMARY_COLUMNS,
    });
    await writeAudit(tx, {
      actor: admin,
      action: "secret.set",
      targetType: "secret",
      targetId: row.name,
      summary: existing ? `Replaced the value of secret ${row.name}` : `Added secret ${row.name}`,
    });
    return toSecretDto(row, (await secretUsage(tx)).get(row.name));
  });
}

export async function deleteSecret({ actor, input }: { actor: Actor | null; input: { name: string } }): Promise<void> {
  const admin = requireRole(actor, "admin");
  const db = await getPrisma();
  await db.$transaction(async (tx) => {
    // Locked first: a job saved meanwhile that uses it either committed already (and is seen
    // below) or waits and then finds the secret gone.
    const [row] = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM secrets WHERE name = ${input.name} FOR UPDATE`;
    if (!row) throw notFound("Secret");
    const users = (await secretUsage(tx)).get(row.name) ?? [];
    if (users.length > 0) {
      throw new DomainError("CONFLICT", `Secret ${row.name} is used by ${users.map((job) => `"${job.name}"`).join(", ")}; change those jobs first`, {
        details: users.map((job) => ({ jobId: job.id, jobName: job.name })),
      });
    }
    await tx.secret.delete({ where: { name: row.name } });
    await writeAudit(tx, { actor: admin, action: "secret.delete", targetType: "secret", targetId: row.name, summary: `Deleted secret ${row.name}` });
  });
}
