// Runs before every request (Next.js 16's proxy, formerly middleware): the security headers of
// lib/http/security-headers.ts on every answer, with a fresh script nonce for each page.
import { NextResponse, type NextRequest } from "next/server";
import { securityHeaders, servedOverHttps } from "@/lib/http/security-headers";

export function proxy(request: NextRequest): NextResponse {
  const headers = securityHeaders({
    nonce: Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64"),
    https: servedOverHttps(request.nextUrl, request.headers.get("x-forwarded-proto")),
    development: process.env.NODE_ENV === "development",
    api: /^\/api(\/|$)/.test(request.nextUrl.pathname),
  });
  // Next.js takes the nonce for its scripts from the request's policy.
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", headers["content-security-policy"]);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
