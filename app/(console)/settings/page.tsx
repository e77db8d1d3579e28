// Settings (admin): the people who sign in to the console, the API tokens programs use, and the
// scheduler's maintenance window.
import { hasRole } from "@/lib/auth/roles";
import { requireSignedIn } from "@/lib/auth/session";
import { listTokens } from "@/lib/auth/tokens";
import { listUsers } from "@/lib/auth/users";
import { getMaintenance } from "@/lib/maintenance";
import { MaintenanceSection } from "@/components/maintenance/maintenance-section";
import { TokensSection } from "@/components/settings/tokens-section";
import { UsersSection } from "@/components/settings/users-section";
import { NotAllowed } from "@/components/ui/not-allowed";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const actor = await requireSignedIn();
  if (!hasRole(actor.role, "admin")) return <NotAllowed what="Settings" required="admin" role={actor.role} />;
  const [users, tokens, maintenance] = await Promise.all([listUsers({ actor }), listTokens({ actor }), getMaintenance({ actor })]);
  const serverNow = Date.now();
  return (
    <>
      <div className="page-header">
        <h1 tabIndex={-1}>Settings</h1>
      </div>
      <p className="muted page-intro">Who can sign in, the API tokens programs use, and the scheduler's maintenance window. Every change here is audited.</p>
      <UsersSection users={users} currentUserId={actor.id} serverNow={serverNow} />
      <TokensSection tokens={tokens} serverNow={serverNow} />
      <MaintenanceSection key={maintenance?.setAt ?? "none"} window={maintenance} />
    </>
  );
}
