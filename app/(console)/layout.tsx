import { requireSignedIn } from "@/lib/auth/session";
import { NavLinks } from "@/components/nav-links";
import { IntentLink } from "@/components/ui/intent-link";
import { PreviewBanner } from "@/components/preview-banner";
import { SignOutButton } from "@/components/sign-out-button";
import { LiveRegionProvider } from "@/components/ui/live-region";
import { EventStreamProvider } from "@/components/events/event-stream";
import { latestEventId } from "@/lib/events/hub";
import { hasRole } from "@/lib/auth/roles";
import { getMaintenance } from "@/lib/maintenance";
import { MaintenanceBanner } from "@/components/maintenance/maintenance-banner";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // Before any data of the page is read: the stream replays every change after this id.
  const since = latestEventId();
  const actor = await requireSignedIn();
  const maintenance = await getMaintenance({ actor });
  return (
    <div className="shell">
      <PreviewBanner />
      <header className="topbar">
        <IntentLink href="/jobs" className="brand">
          Tickwork
        </IntentLink>
        <NavLinks role={actor.role} />
        <div className="whoami">
          <span className="user-name" data-testid="current-user" title={actor.name}>
            {actor.name}
          </span>
          <span className="role" data-testid="current-role">
            {actor.role}
          </span>
          <SignOutButton />
        </div>
      </header>
      <main className="content">
        <MaintenanceBanner window={maintenance} canManage={hasRole(actor.role, "admin")} serverNow={Date.now()} />
        {/* One event stream for the whole tab, shared by the runs monitor, the jobs pages and the details modal. */}
        <EventStreamProvider canOperate={hasRole(actor.role, "operator")} since={since}>
          <LiveRegionProvider>{children}</LiveRegionProvider>
        </EventStreamProvider>
      </main>
    </div>
  );
}
