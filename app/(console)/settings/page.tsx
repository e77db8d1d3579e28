// Settings (admin): the people who sign in to the console, the API tokens programs use, the
// secrets job params use, the channels notifications go to and the scheduler's maintenance window.
import { hasRole } from "@/lib/auth/roles";
import { requireSignedIn } from "@/lib/auth/session";
import { listTokens } from "@/lib/auth/tokens";
import { listUsers } from "@/lib/auth/users";
import { listChannels, watchableJobs } from "@/lib/notifications";
import { emailAvailable } from "@/lib/notifications/store";
import { listSecretsWithJobs } from "@/lib/secrets";
import { NotificationsSection } from "@/components/settings/notifications-section";
import { SecretsSection } from "@/components/settings/secrets-section";
import { getMaintenance } from "@/lib/maintenance";
import { MaintenanceSection } from "@/components/maintenance/maintenance-section";
import { TokensSection } from "@/components/settings/tokens-section";
import { UsersSection } from "@/components/settings/users-section";
import { NotAllowed } from "@/components/ui/not-allowed";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const actor = await requireSignedIn();
  if (!hasRole(actor.role, "admin")) return <NotAllowed what="Settings" required="admin" role={actor.role} />;
  const [users, tokens, secrets, channels, jobs, maintenance] = await Promise.all([
    listUsers({ actor }),
    listTokens({ actor }),
    listSecretsWithJobs({ actor }),
    listChannels({ actor }),
    watchableJobs({ actor }),
    getMaintenance({ actor }),
  ]);
  const serverNow = Date.now();
  return (
    <>
      <div className="page-header">
        <h1 tabIndex={-1}>Settings</h1>
      </div>
      <p className="muted page-intro">Who can sign in, the API tokens programs use, the secrets jobs use, where notifications go, and the scheduler's maintenance window. Every change here is audited.</p>
      <UsersSection users={users} currentUserId={actor.id} serverNow={serverNow} />
      <TokensSection tokens={tokens} serverNow={serverNow} />
      <SecretsSection secrets={secrets} serverNow={serverNow} />
      <NotificationsSection channels={channels} jobs={jobs} emailAvailable={emailAvailable()} serverNow={serverNow} />
      <MaintenanceSection key={maintenance?.setAt ?? "none"} window={maintenance} />
    </>
  );
}
