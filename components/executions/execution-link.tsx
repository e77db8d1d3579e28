"use client";
// A link that opens an execution in the details modal (<ExecutionDetails /> on the same page).
// Its href is the page with `?execution=<id>`, so it works before hydration and in a new tab; a
// plain click only updates the URL (Next.js syncs useSearchParams with the History API), which
// opens the modal at once instead of re-rendering the page on the server.
import type { ReactNode } from "react";
import { pushExecutionHref } from "./execution-href";

export function ExecutionLink({ href, children, className, label }: { href: string; children: ReactNode; className?: string; label?: string }) {
  return (
    <a
      href={href}
      className={className}
      aria-label={label}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        // Clicking a link does not focus it in every browser; the modal returns focus to what had it.
        event.currentTarget.focus();
        pushExecutionHref(href);
      }}
    >
      {children}
    </a>
  );
}
