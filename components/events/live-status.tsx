"use client";
// The console's "Live" dot beside a page title: whether the tab's event stream is connected, and
// a way back in when the session has ended.
import { usePathname } from "next/navigation";
import { useConnection } from "./event-stream";

const WORDS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" } as const;

export function LiveStatus({ title }: { title: string }) {
  const { connection } = useConnection();
  return (
    <p className={`live-status live-${connection}`} data-testid="live-status" title={title}>
      <span className="live-dot" aria-hidden="true" />
      {connection === "signed-out" ? <SignedOut /> : WORDS[connection]}
    </p>
  );
}

/** "Your session has ended — sign in again": a full page load of the sign-in page, which brings the person back here. */
export function SignedOut() {
  const pathname = usePathname();
  return (
    <>
      Your session has ended —{" "}
      <a href={`/login?callbackUrl=${encodeURIComponent(pathname)}`} data-testid="sign-in-again">
        sign in again
      </a>
    </>
  );
}
