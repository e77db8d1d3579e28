// The signed-in actor for server components and server actions.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "./options";
import { actorForUser } from "./users";
import type { Actor } from "./roles";

/** Looked up once per request: the console's layouts and page each ask, and render in parallel. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? actorForUser(id) : null;
});

/** The signed-in actor for a console page; anyone else goes to the sign-in page. */
export async function requireSignedIn(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}
