// What a console page shows to someone whose role is too low: a plain refusal, never the data.
import Link from "next/link";
import type { Role } from "@/lib/auth/roles";

export function NotAllowed({ what, required, role }: { what: string; required: Role; role: Role }) {
  return (
    <div className="empty not-allowed" data-testid="not-allowed">
      <h1 tabIndex={-1}>Not allowed</h1>
      <p>
        {what} needs the <strong>{required}</strong> role; you have <strong>{role}</strong>.
      </p>
      <p className="muted">Ask an admin if you need access.</p>
      <Link href="/jobs">Back to the jobs</Link>
    </div>
  );
}
