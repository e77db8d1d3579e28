// Where to go after signing in: a path on this site, never another host. A plain "starts with /"
// check lets `/\evil.example` through, which browsers read as `//evil.example`; resolving the value
// against a stand-in origin, as the browser will, catches that and every other spelling.
const STAND_IN = "http://tickwork.invalid";

export function safeCallbackPath(value: string | null | undefined, fallback = "/jobs"): string {
  if (!value || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, STAND_IN);
  } catch {
    return fallback;
  }
  return url.origin === STAND_IN ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
