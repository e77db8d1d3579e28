// Who sent a request: a bearer token, or the next-auth session cookie.
import { decode } from "next-auth/jwt";
import { authSecret } from "./secret";
import { authenticateToken } from "./tokens";
import { actorForUser } from "./users";
import type { Actor } from "./roles";

export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export interface RequestIdentity {
  actor: Actor | null;
  via: "token" | "cookie" | null;
}

/** The cookie's value; a value that does not decode (`%`, `%E0%A4%A`) is no session, not an error. */
function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export async function identify(headers: Headers): Promise<RequestIdentity> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return { actor: match ? await authenticateToken(match[1]) : null, via: "token" };
  }
  const cookieHeader = headers.get("cookie");
  for (const name of SESSION_COOKIES) {
    const value = readCookie(cookieHeader, name);
    if (!value) continue;
    const token = await decode({ token: value, secret: authSecret() }).catch(() => null);
    const actor = token?.sub ? await actorForUser(token.sub) : null;
    return { actor, via: "cookie" };
  }
  return { actor: null, via: null };
}
