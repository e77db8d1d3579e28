"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { hasRole, type Role } from "@/lib/auth/roles";

const LINKS: { href: string; label: string; role: Role }[] = [
  { href: "/jobs", label: "Jobs", role: "viewer" },
  { href: "/runs", label: "Runs", role: "viewer" },
  { href: "/audit", label: "Audit", role: "operator" },
  { href: "/settings", label: "Settings", role: "admin" },
];

/** The sections the signed-in role may open; the pages check the role again on the server. */
export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      {LINKS.filter((link) => hasRole(role, link.role)).map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname.startsWith(link.href) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
