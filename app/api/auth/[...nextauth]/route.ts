import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { admitSignIn } from "@/lib/auth/sign-in";
import { clientAddress } from "@/lib/http/client-address";
import { errorResponse } from "@/lib/http/respond";
import { otherMethods } from "@/lib/http/route";

type Context = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (request: Request, context: Context) => NextAuth(authOptions())(request, context);

// GET /api/auth/* – next-auth (session, csrf, providers, sign-out page)
export const GET = nextAuth;

// POST /api/auth/* – next-auth; a sign-in is counted first and answers 429 RATE_LIMITED (with Retry-After) over the limits
export async function POST(request: Request, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.join("/") === "callback/credentials") {
    const form = await request.clone().formData().catch(() => null);
    try {
      await admitSignIn({ email: String(form?.get("email") ?? ""), address: clientAddress(request.headers) });
    } catch (error) {
      return errorResponse(error);
    }
  }
  return nextAuth(request, context);
}

// PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
