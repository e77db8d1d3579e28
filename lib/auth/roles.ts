// Roles, each including the one before: viewer (read), operator (change jobs, run), admin (people, tokens).
import { z } from "zod";

export const ROLES = ["viewer", "operator", "admin"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const hasRole = (role: Role, required: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(required);

/** Who is acting: a signed-in user, an API token, or the system itself (scheduler, start-up). */
export interface Actor {
  kind: "user" | "token" | "system";
  id: string | null;
  /** The user's email, the token's name, or "scheduler"/"system": what audit and triggeredBy show. */
  name: string;
  role: Role;
}

export const SYSTEM_ACTOR: Actor = { kind: "system", id: null, name: "system", role: "admin" };
