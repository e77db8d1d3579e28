// Which live jobs use which secrets, and the check that params name only secrets that exist.
import type { Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { referencedSecrets, SECRET_NAME } from "./references";

type Db = Pick<Tx, "$queryRaw">;

/** The live jobs using each secret, by name, ordered by job name. */
export async function secretUsage(db: Db): Promise<Map<string, { id: string; name: string }[]>> {
  const rows = await db.$queryRaw<{ id: string; name: string; params: unknown }[]>`
    SELECT id::text AS id, name, params FROM jobs
    WHERE deleted_at IS NULL AND params::text LIKE '%secrets.%'
    ORDER BY name, id`;
  const usage = new Map<string, { id: string; name: string }[]>();
  for (const row of rows) {
    for (const name of referencedSecrets(row.params).keys()) {
      usage.set(name, [...(usage.get(name) ?? []), { id: row.id, name: row.name }]);
    }
  }
  return usage;
}

/**
 * 400 (field params) unless every {{secrets.NAME}} in params names a stored secret. The secrets
 * are locked FOR SHARE until the transaction ends, so a concurrent delete either waits and then
 * sees this job using it (409), or wins and this check sees the secret gone.
 */
export async function assertKnownSecrets(tx: Db, params: unknown): Promise<void> {
  const references = referencedSecrets(params);
  if (references.size === 0) return;
  const names = [...references.keys()];
  const found = new Set(
    (await tx.$queryRaw<{ name: string }[]>`SELECT name FROM secrets WHERE name = ANY(${names.filter((name) => SECRET_NAME.test(name))}::text[]) FOR SHARE`).map(
      (row) => row.name,
    ),
  );
  const details = [...references]
    .filter(([name]) => !found.has(name))
    .map(([name, path]) => ({
      path: ["params", ...path].join("."),
      message: SECRET_NAME.test(name)
        ? `No secret named ${name}; an admin adds it under Settings → Secrets`
        : `"${name}" is not a secret name (capital letters, digits and underscores)`,
    }));
  if (details.length > 0) {
    throw new DomainError("VALIDATION_FAILED", `Unknown secret${details.length === 1 ? "" : "s"} in params: ${[...references.keys()].filter((name) => !found.has(name)).join(", ")}`, {
      field: "params",
      details,
    });
  }
}
