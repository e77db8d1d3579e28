"use client";
import { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { IntentLink } from "@/components/ui/intent-link";
import { hasRole, type Role } from "@/lib/auth/roles";

const LINKS: { href: string; label: string; role: Role }[] = [
  { href: "/jobs", label: "Jobs", role: "viewer" },
  { href: "/runs", label: "Runs", role: "viewer" },
  { href: "/audit", label: "Audit", role: "operator" },
  { href: "/settings", label: "Settings", role: "admin" },
];

/** The sections the signed-in role may open; the pages check the role again on the server. Prefetched on intent. */
export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      {LINKS.filter((link) => hasRole(role, link.role)).map((link) => (
        <IntentLink key={link.href} href={link.href} aria-current={pathname.startsWith(link.href) ? "page" : undefined}>
          {link.label}
          <Pending />
        </IntentLink>
      ))}
    </nav>
  );
}

/**
 * The jobs and runs pages render fully on the server before they show (no loading skeleton: see
 * the runs page), so a clicked section says it is on its way until its page replaces the current one.
 */
function Pending() {
  const { pending } = useLinkStatus();
  return pending ? <span className="nav-pending" role="status" aria-label="Loading" /> : null;
}
