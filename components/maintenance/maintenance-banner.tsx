// The banner every console page shows while a maintenance window is in force: the reason, when it
// ends, and what it means for runs. Rendered by the console layout, so it is there before hydration.
import Link from "next/link";
import type { MaintenanceDto } from "@/lib/maintenance/schemas";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatUtc } from "@/components/ui/time-format";

export function MaintenanceBanner({ window, canManage, serverNow }: { window: MaintenanceDto | null; canManage: boolean; serverNow: number }) {
  if (!window) return null;
  return (
    <div className="callout warn maintenance-banner" role="status" data-testid="maintenance-banner">
      <p className="callout-title">
        <span aria-hidden="true">🛠 </span>
        Maintenance until {formatUtc(new Date(window.until))} (<RelativeTime iso={window.until} serverNow={serverNow} />): {window.reason}
      </p>
      <p>
        Scheduled runs are recorded as skipped until then; run now, retries, backfills and chained runs still run.
        {canManage ? (
          <>
            {" "}
            <Link href="/settings#maintenance">Change or end it in Settings</Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
