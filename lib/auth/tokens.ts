// API tokens: shown once at creation, stored as a sha256 hash, sent as `Authorization: Bearer`.
import crypto from "node:crypto";
import { z } from "zod";
import { getPrisma, Prisma, queryRows } from "@/lib/db";
import { writeAudit } from "@/lib/audit/write";
import { notFound } from "@/lib/errors";
import { requireRole } from "./guard";
import { RoleSchema, type Actor, type Role } from "./roles";

const TOKEN_PREFIX = "tw_";
const VISIBLE_PREFIX_LENGTH = 10;
// Recording every use would write on every request; once a minute is enough to answer "is it used?".
const LAST_USED_RESOLUTION_MS = 60_000;

export const TokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
});
export type TokenInput = z.infer<typeof TokenInput>;

export interface TokenDto {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

function toTokenDto(row: {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): TokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createToken({ actor, input }: { actor: Actor | null; input: TokenInput }) {
  const admin = requireRole(actor, "admin");
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
  const db = await getPrisma();
  const record = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: input.name,
        role: input.role,
        tokenHash: hashToken(token),
        prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
        createdById: admin.kind === "user" ? admin.id : null,
      },
    });
    await writeAudit(tx, {
      actor: admin,
      action: "token.create",
      targetType: "token",
      targetId: created.id,
      summary: `Created API token "${created.name}" with role ${created.role}`,
    });
    return created;
  });
  return { token, record: toTokenDto(record) };
}

export async function revokeToken({ actor, input }: { actor: Actor | null; input: { id: string } }) {
  const admin = requireRole(actor, "admin");
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const existing = await tx.apiToken.findUnique({ where: { id: input.id } });
    if (!existing) throw notFound("API token");
    if (existing.revokedAt) return toTokenDto(existing);
    const revoked = await tx.apiToken.update({ where: { id: input.id }, data: { revokedAt: new Date() } });
    await writeAudit(tx, {
      actor: admin,
      action: "token.revoke",
      targetType: "token",
      targetId: revoked.id,
      summary: `Revoked API token "${revoked.name}"`,
    });
    return toTokenDto(revoked);
  });
}

export async function listTokens({ actor }: { actor: Actor | null }): Promise<TokenDto[]> {
  requireRole(actor, "admin");
  const db = await getPrisma();
  const rows = await db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
  return rows.map(toTokenDto);
}

/** The actor behind a bearer token, or null when it is unknown or revoked. */
export async function authenticateToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  // On every authenticated API request, so straight on the driver (see queryRows).
  const [record] = await queryRows<{ id: string; name: string; role: Role; lastUsedAt: Date | null; revokedAt: Date | null }>(Prisma.sql`
    SELECT id, name, role, last_used_at AS "lastUsedAt", revoked_at AS "revokedAt" FROM api_tokens WHERE token_hash = ${hashToken(token)}`);
  if (!record || record.revokedAt) return null;
  const now = Date.now();
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    const db = await getPrisma();
    await db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "token", id: record.id, name: record.name, role: record.role };
}


/** The role of each token id that still exists and is not revoked (for long-lived connections). */
export async function activeTokenRoles(ids: string[]): Promise<Map<string, Role>> {
  if (ids.length === 0) return new Map();
  const db = await getPrisma();
  const rows = await db.apiToken.findMany({ where: { id: { in: ids }, revokedAt: null }, select: { id: true, role: true } });
  return new Map(rows.map((row) => [row.id, row.role]));
}
