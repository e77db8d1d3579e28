// The notification channels that watch a job (every job, or it by name), on the job's page, so an
// operator sees who hears about its failures. Admins change them under Settings → Notifications.
import Link from "next/link";
import type { ChannelDto } from "@/lib/notifications/schemas";

export function JobChannels({ channels, canManage }: { channels: ChannelDto[]; canManage: boolean }) {
  return (
    <section aria-labelledby="job-channels-title" className="detail-section" data-testid="job-channels">
      <h2 id="job-channels-title">Notifications</h2>
      {channels.length === 0 ? (
        <p className="muted">
          No channel watches this job. {canManage ? <Link href="/settings#notifications-title">Add one in Settings</Link> : null}
        </p>
      ) : (
        <ul className="job-channel-list">
          {channels.map((channel) => (
            <li key={channel.id} data-channel-id={channel.id}>
              <strong>{channel.name}</strong> <span className="muted small">({channel.kind}{channel.jobIds === null ? ", all jobs" : ""})</span>:{" "}
              {channel.events.join(", ")}
              {channel.enabled ? null : <span className="muted small"> (disabled)</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
