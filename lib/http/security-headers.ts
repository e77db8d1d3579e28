// The security headers of every answer (set by proxy.ts). Pages get a Content-Security-Policy with
// a fresh nonce per request: Next.js reads the nonce from the request's policy and puts it on its
// own scripts, and 'strict-dynamic' lets those load the rest; anything injected into a page
// without the nonce does not run. Styles allow 'unsafe-inline' (sonner injects a style element
// and sets style attributes), which cannot run code, and images, fonts and connections stay on
// this origin, so injected CSS has nowhere to send what it reads. API answers (JSON, events) are
// no documents: they get a policy that allows nothing at all.

export interface SecurityContext {
  /** A fresh random value per request, for pages. */
  nonce: string;
  /** The request came in over https (directly or, per X-Forwarded-Proto, through a proxy). */
  https: boolean;
  /** `next dev`: React needs eval for its debugging aids. */
  development: boolean;
  /** An API path: JSON or an event stream, never a document to render. */
  api: boolean;
}

/** One year: browsers keep using https for the host once they have seen the header over https. */
const HSTS = "max-age=31536000";

export function contentSecurityPolicy({ nonce, https, development, api }: SecurityContext): string {
  if (api) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function securityHeaders(context: SecurityContext): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(context),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    // For browsers that predate frame-ancestors.
    "x-frame-options": "DENY",
    ...(context.https ? { "strict-transport-security": HSTS } : {}),
  };
}

/** Whether a request came in over https: its URL, or the first X-Forwarded-Proto of a proxy in front. */
export function servedOverHttps(url: URL, forwardedProto: string | null): boolean {
  return url.protocol === "https:" || forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}
