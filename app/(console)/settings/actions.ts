"use server";
// The console's user and API token management (admin): the same schemas and services as the
// user:create and token:* CLIs, through lib/actions. There is no HTTP API for these on purpose.
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { createToken, revokeToken, TokenInput } from "@/lib/auth/tokens";
import { createUser, updateUser, UserInput, UserPatch } from "@/lib/auth/users";

const SETTINGS = ["/settings", "/audit"];
const Ref = z.strictObject({ id: z.uuid() });

// Create a user who can sign in with the given initial password
export const createUserAction = action({ name: "users.create", role: "admin", input: UserInput, revalidate: SETTINGS }, ({ actor, input }) =>
  createUser({ actor, input }),
);

// Change a user's name, role, password or disabled flag (not one's own role or disabled flag)
export const updateUserAction = action(
  { name: "users.update", role: "admin", input: UserPatch.extend(Ref.shape), revalidate: SETTINGS },
  ({ actor, input: { id, ...patch } }) => updateUser({ actor, input: { id, patch } }),
);

// Create an API token; the token itself is in this answer and nowhere else, ever
export const createTokenAction = action({ name: "tokens.create", role: "admin", input: TokenInput, revalidate: SETTINGS }, ({ actor, input }) =>
  createToken({ actor, input }),
);

// Revoke an API token at once; revoking a revoked token changes nothing
export const revokeTokenAction = action({ name: "tokens.revoke", role: "admin", input: Ref, revalidate: SETTINGS }, ({ actor, input }) =>
  revokeToken({ actor, input }),
);
