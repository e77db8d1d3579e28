// One job: its definition, next fire times, chains, recent outcomes, execution history, the
// notification channels that watch it and its audit trail.
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { hasRole, type Actor } from "@/lib/auth/roles";
import { requireSignedIn } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { listJobExecutions } from "@/lib/executions/list";
import { definitions } from "@/lib/handlers/registry";
import { getJob, RECENT_AUDIT_EVENTS } from "@/lib/jobs/get";
import { chainLinks } from "@/lib/jobs/lookup";
import { ChainLinks } from "@/components/jobs/chain-links";
import { listAudit } from "@/lib/audit/list";
import { channelsWatchingJob } from "@/lib/notifications";
import { JobChannels } from "@/components/jobs/job-channels";
import { ExecutionDetails } from "@/components/executions/execution-details";
import { AuditTrail } from "@/components/jobs/audit-trail";
import { ExecutionHistory, parseHistoryQuery, type HistoryQuery } from "@/components/jobs/execution-history";
import { JobDefinition, NextFireTimes } from "@/components/jobs/job-definition";
import { JobDetailActions } from "@/components/jobs/job-detail-actions";
import { LiveRefresh } from "@/components/jobs/live-refresh";
import { RunSparkline } from "@/components/jobs/run-sparkline";
import { HealthBadge, LastStatusBadge } from "@/components/jobs/status-badges";
import { isPaused, PausedNote } from "@/components/jobs/paused";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function JobDetailPage({ params, searchParams }: Props) {
  const actor = await requireSignedIn();
  const { id } = await params;
  const query = parseHistoryQuery(await searchParams);
  const loaded = await load(actor, id, query);
  if (!loaded) notFound();
  const { job, history, links } = loaded;
  const now = new Date();
  return (
    <>
      <p className="breadcrumb">
        <Link href="/jobs">← All jobs</Link>
      </p>
      <div className="page-header">
        <h1 tabIndex={-1}>{job.name}</h1>
        <LiveRefresh />
      </div>
      {job.description ? <p className="muted">{job.description}</p> : null}
      <div className="detail-status" data-testid="job-status">
        <span>Health: <HealthBadge job={job} /></span>
        <span>Last status: <LastStatusBadge status={job.lastStatus} /></span>
        {isPaused(job, now.getTime()) ? <PausedNote pausedUntil={job.pausedUntil!} /> : null}
      </div>
      <JobDetailActions job={job} canEdit={hasRole(actor.role, "operator")} definitions={definitions()} serverNow={now.getTime()} />
      <div className="detail-grid">
        <JobDefinition job={job} />
        <NextFireTimes job={job} now={now} />
      </div>
      <ChainLinks links={links} />
      <RunSparkline executions={job.recentExecutions} />
      <ExecutionHistory jobId={job.id} page={history} query={query} serverNow={now.getTime()} />
      {hasRole(actor.role, "operator") ? <JobChannels channels={await channelsWatchingJob({ actor, input: { jobId: job.id } })} canManage={hasRole(actor.role, "admin")} /> : null}
      <AuditTrail events={job.audit} />
      <MoreAudit actor={actor} jobId={job.id} shown={job.audit.length} />
      <ExecutionDetails />
    </>
  );
}

/** The detail page shows the newest changes; the audit page (operator+) pages through all of them. */
async function MoreAudit({ actor, jobId, shown }: { actor: Actor; jobId: string; shown: number }) {
  if (shown < RECENT_AUDIT_EVENTS || !hasRole(actor.role, "operator")) return null;
  const { total } = await listAudit({ actor, input: { targetId: jobId, page: 1, pageSize: 1 } });
  if (total <= shown) return null;
  return (
    <p className="muted small" data-testid="more-audit">
      Showing the newest {shown} of {total} changes.{" "}
      <Link href={`/audit?targetId=${jobId}`}>See all changes of this job in the audit log</Link>
    </p>
  );
}

async function load(actor: Actor, id: string, query: HistoryQuery) {
  // A malformed id is as unknown as a deleted one (and must not reach a uuid column).
  if (!z.uuid().safeParse(id).success) return null;
  try {
    const job = await getJob({ actor, input: { id } });
    const [history, links] = await Promise.all([
      listJobExecutions({ actor, input: { jobId: id, ...query } }),
      chainLinks({ actor, input: job }),
    ]);
    return { job, history, links };
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}
