// People who sign in to the console. Emails are stored lower-cased.
import { z } from "zod";
import { getPrisma, Prisma } from "@/lib/db";
import { diff, writeAudit } from "@/lib/audit/write";
import { DomainError, notFound } from "@/lib/errors";
import { requireRole } from "./guard";
import { hashPassword } from "./passwords";
import { PasswordSchema } from "./password-rule";
import { RoleSchema, SYSTEM_ACTOR, type Actor, type Role } from "./roles";

export const UserInput = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(320)),
  name: z.string().trim().max(200).optional(),
  role: RoleSchema,
  password: PasswordSchema,
});
export type UserInput = z.input<typeof UserInput>;

export const UserPatch = z.strictObject({
  name: z.string().trim().max(200).optional(),
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
  password: PasswordSchema.optional(),
});
export type UserPatch = z.infer<typeof UserPatch>;

export interface UserDto {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

function toUserDto(row: {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createUser({ actor, input }: { actor: Actor | null; input: UserInput }): Promise<UserDto> {
  return (await insertUser(requireRole(actor, "admin"), input, { onlyIfFirst: false }))!;
}

// Any constant works; it only has to be the same for every instance (and differ from the migrator's).
const FIRST_USER_LOCK = 7_406_512_932;

/**
 * Creates the first user, only while there is none: under a transaction-scoped advisory lock, so
 * instances starting together on an empty database create exactly one. Null when users exist.
 */
export async function createFirstUser(input: UserInput): Promise<UserDto | null> {
  return insertUser(SYSTEM_ACTOR, input, { onlyIfFirst: true });
}

async function insertUser(actor: Actor, input: UserInput, { onlyIfFirst }: { onlyIfFirst: boolean }): Promise<UserDto | null> {
  const data = UserInput.parse(input);
  const db = await getPrisma();
  const passwordHash = await hashPassword(data.password);
  try {
    const user = await db.$transaction(async (tx) => {
      if (onlyIfFirst) {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK}::bigint)`;
        if ((await tx.user.count()) > 0) return null;
      }
      const created = await tx.user.create({
        data: { email: data.email, name: data.name ?? null, role: data.role, passwordHash },
      });
      await writeAudit(tx, {
        actor,
        action: "user.create",
        targetType: "user",
        targetId: created.id,
        summary: `Created user ${created.email} with role ${created.role}`,
      });
      return created;
    });
    return user && toUserDto(user);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("CONFLICT", `A user with email ${data.email} already exists`, { field: "email" });
    }
    throw error;
  }
}

export async function updateUser({
  actor,
  input,
}: {
  actor: Actor | null;
  input: { id: string; patch: UserPatch };
}): Promise<UserDto> {
  const admin = requireRole(actor, "admin");
  const { password, ...fields } = input.patch;
  const db = await getPrisma();
  const passwordHash = password ? await hashPassword(password) : undefined;
  const user = await db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.id } });
    if (!before) throw notFound("User");
    if (admin.id === before.id && (fields.disabled || (fields.role && fields.role !== "admin"))) {
      throw new DomainError("INVALID_STATE", "You cannot disable yourself or remove your own admin role");
    }
    const after = await tx.user.update({ where: { id: input.id }, data: { ...fields, passwordHash } });
    const changes = diff(
      { name: before.name, role: before.role, disabled: before.disabled },
      { name: after.name, role: after.role, disabled: after.disabled },
    );
    if (password) changes.password = { from: "(hidden)", to: "(changed)" };
    await writeAudit(tx, {
      actor: admin,
      action: "user.update",
      targetType: "user",
      targetId: after.id,
      summary: `Updated user ${after.email}`,
      changes,
    });
    return after;
  });
  return toUserDto(user);
}

export async function listUsers({ actor }: { actor: Actor | null }): Promise<UserDto[]> {
  requireRole(actor, "admin");
  const db = await getPrisma();
  const rows = await db.user.findMany({ orderBy: { email: "asc" } });
  return rows.map(toUserDto);
}

/** The current actor for a signed-in user id: role changes and disabling take effect at once. */
export async function actorForUser(userId: string): Promise<Actor | null> {
  const db = await getPrisma();
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || user.disabled) return null;
  return { kind: "user", id: user.id, name: user.email, role: user.role };
}

export async function countUsers(): Promise<number> {
  const db = await getPrisma();
  return db.user.count();
}

/** The current role of each user id that still exists and is not disabled (for long-lived connections). */
export async function activeUserRoles(ids: string[]): Promise<Map<string, Role>> {
  if (ids.length === 0) return new Map();
  const db = await getPrisma();
  const rows = await db.user.findMany({ where: { id: { in: ids }, disabled: false }, select: { id: true, role: true } });
  return new Map(rows.map((row) => [row.id, row.role]));
}
