import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { clientAddress, isLoginLimited } from "@/lib/auth/login-limit";
import { errorResponse } from "@/lib/http/respond";
import { DomainError } from "@/lib/errors";

type Context = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (request: Request, context: Context) => NextAuth(authOptions())(request, context);

// GET /api/auth/* – next-auth (session, csrf, providers, sign-out page)
export const GET = nextAuth;

// POST /api/auth/* – next-auth; sign-in answers 429 after 10 failures per email and address in 15 minutes
export async function POST(request: Request, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.join("/") === "callback/credentials") {
    const form = await request.clone().formData().catch(() => null);
    const email = String(form?.get("email") ?? "");
    if (email && (await isLoginLimited(email, clientAddress(request.headers)))) {
      return errorResponse(new DomainError("RATE_LIMITED", "Too many failed sign-ins; try again in 15 minutes", { retryable: true }));
    }
  }
  return nextAuth(request, context);
}
