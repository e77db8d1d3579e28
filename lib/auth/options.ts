// next-auth configuration: email and password sign-in, a JWT session that carries the role.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddress } from "@/lib/http/client-address";
import { safeCallbackPath } from "./callback-url";
import { authSecret } from "./secret";
import { completeSignIn } from "./sign-in";

// Without NEXTAUTH_URL, next-auth v4 assumes http://localhost:3000; trusting the Host header lets
// the app run on any port or host name. Set NEXTAUTH_URL behind a proxy to pin it.
process.env.AUTH_TRUST_HOST ??= "true";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        // Reached only through POST /api/auth/callback/credentials, whose route admitted (counted) the attempt.
        async authorize(credentials, req) {
          const actor = await completeSignIn({
            email: String(credentials?.email ?? ""),
            password: String(credentials?.password ?? "").slice(0, 200),
            address: clientAddress(req.headers ?? {}),
          });
          return actor ? { id: actor.id!, email: actor.name, role: actor.role } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.role = user.role;
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub, role: token.role } };
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith("/")) return `${baseUrl}${safeCallbackPath(url, "/")}`;
        return URL.canParse(url) && new URL(url).origin === baseUrl ? url : baseUrl;
      },
    },
  };
}
