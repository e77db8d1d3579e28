// The job page's chains: the jobs this one runs after (their lists name it) and the jobs it
// triggers when a run succeeds or finally fails.
import Link from "next/link";
import type { ChainLinks as Links, JobRef } from "@/lib/jobs/lookup";

function JobList({ jobs, testId }: { jobs: JobRef[]; testId: string }) {
  if (jobs.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="inline-list" data-testid={testId}>
      {jobs.map((job) => (
        <li key={job.id}>
          <Link href={`/jobs/${job.id}`}>{job.name}</Link>
        </li>
      ))}
    </ul>
  );
}

export function ChainLinks({ links }: { links: Links }) {
  const after = (when: "success" | "failure") => links.runsAfter.filter((job) => job.when === when);
  return (
    <section aria-labelledby="chains-title" className="detail-section" data-testid="chain-links">
      <h2 id="chains-title">Chains</h2>
      <dl className="definition chain-list">
        <div>
          <dt>Runs after</dt>
          <dd>
          {links.runsAfter.length === 0 ? (
            <span className="muted">no other job</span>
          ) : (
            <>
              {after("success").length ? <div>a success of <JobList jobs={after("success")} testId="runs-after-success" /></div> : null}
              {after("failure").length ? <div>a final failure of <JobList jobs={after("failure")} testId="runs-after-failure" /></div> : null}
            </>
          )}
        </dd>
        </div>
        <div>
          <dt>Triggers on success</dt>
          <dd>
            <JobList jobs={links.onSuccess} testId="triggers-success" />
          </dd>
        </div>
        <div>
          <dt>Triggers on failure</dt>
          <dd>
            <JobList jobs={links.onFailure} testId="triggers-failure" />
          </dd>
        </div>
      </dl>
    </section>
  );
}
