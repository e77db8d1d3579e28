import { requireSignedIn } from "@/lib/auth/session";
import { listJobs } from "@/lib/jobs";
import { describeSchedule } from "@/lib/jobs/describe";

export const dynamic = "force-dynamic";

export default async function JobsPage() {
  const actor = await requireSignedIn();
  const jobs = await listJobs({ actor, input: { page: 1, pageSize: 200 } });
  return (
    <>
      <h1>Jobs</h1>
      <p className="muted">{jobs.total === 1 ? "1 job" : `${jobs.total} jobs`}</p>
      <div className="table-wrap">
        {jobs.items.length === 0 ? (
          <p className="empty">No jobs yet. Create one with the API: POST /api/jobs.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Schedule</th>
                <th scope="col">Enabled</th>
                <th scope="col">Next run</th>
              </tr>
            </thead>
            <tbody>
              {jobs.items.map((job) => (
                <tr key={job.id}>
                  <td>
                    {job.name}
                    {job.systemManaged ? (
                      <span className="badge" title="Managed by Tickwork; it cannot be changed" style={{ marginLeft: 8 }}>
                        🔒 system
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <code>{job.type}</code>
                  </td>
                  <td>{describeSchedule(job.schedule)}</td>
                  <td>
                    <span className={`badge ${job.enabled ? "on" : "off"}`}>{job.enabled ? "Enabled" : "Disabled"}</span>
                  </td>
                  <td>{job.nextRunAt ? <time dateTime={job.nextRunAt}>{job.nextRunAt.replace("T", " ").slice(0, 19)} UTC</time> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
