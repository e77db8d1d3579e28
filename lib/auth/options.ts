// next-auth configuration: email and password sign-in, a JWT session that carries the role.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddress, clearLoginFailures, isLoginLimited, recordLoginFailure } from "./login-limit";
import { authSecret } from "./secret";
import { verifyCredentials } from "./users";

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
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? "").slice(0, 320);
          const password = String(credentials?.password ?? "").slice(0, 200);
          const address = clientAddress(req.headers ?? {});
          if (!email || !password || (await isLoginLimited(email, address))) return null;
          const actor = await verifyCredentials(email, password);
          if (!actor) {
            await recordLoginFailure(email, address);
            return null;
          }
          await clearLoginFailures(email, address);
          return { id: actor.id!, email: actor.name, role: actor.role };
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
        if (url.startsWith("/")) return `${baseUrl}${url}`;
        return new URL(url).origin === baseUrl ? url : baseUrl;
      },
    },
  };
}
