import { DomainError } from "@/lib/errors";
import { hasRole, type Actor, type Role } from "./roles";

export function requireRole(actor: Actor | null, required: Role): Actor {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in or send an API token");
  if (!hasRole(actor.role, required)) {
    throw new DomainError("FORBIDDEN", `This needs the ${required} role; you have ${actor.role}`);
  }
  return actor;
}
