// The audit log (operator+): who changed what, filtered by actor, action and target through the
// same AuditQuery and listAudit as GET /api/audit.
import { Suspense } from "react";
import Link from "next/link";
import { hasRole, type Actor } from "@/lib/auth/roles";
import { requireSignedIn } from "@/lib/auth/session";
import { listAuditActors } from "@/lib/audit/actors";
import { listAudit } from "@/lib/audit/list";
import type { AuditQuery } from "@/lib/audit/schemas";
import { auditTargetNames } from "@/lib/audit/targets";
import { listJobs } from "@/lib/jobs";
import { AuditFilters } from "@/components/audit/audit-filters";
import { auditHref, hasAuditFilters, parseAuditQuery } from "@/components/audit/audit-query";
import { AuditTable } from "@/components/audit/audit-table";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { NotAllowed } from "@/components/ui/not-allowed";
import { Pager } from "@/components/ui/pager";
import { TableSkeleton } from "@/components/ui/table-skeleton";

export const dynamic = "force-dynamic";

const JOB_CHOICES = 200;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const actor = await requireSignedIn();
  if (!hasRole(actor.role, "operator")) return <NotAllowed what="The audit log" required="operator" role={actor.role} />;
  const { query, ignored } = parseAuditQuery(await searchParams);
  return (
    <>
      <div className="page-header">
        <h1 tabIndex={-1}>Audit</h1>
      </div>
      <p className="muted page-intro">Every change to jobs, executions, users and API tokens, newest first.</p>
      <IgnoredFilters names={ignored} />
      {/* The filters' suggestions stream in: the heading shows at once, and filter changes keep them on screen. */}
      <Suspense fallback={<div className="filters audit-filters" aria-hidden="true" />}>
        <Filters actor={actor} query={query} />
      </Suspense>
      {/* A new key per query: the filters above stay mounted (and focused) while the events load. */}
      <Suspense key={auditHref(query)} fallback={<TableSkeleton rows={8} cols={4} label="audit events" toolbar />}>
        <AuditEvents actor={actor} query={query} />
      </Suspense>
    </>
  );
}

async function Filters({ actor, query }: { actor: Actor; query: AuditQuery }) {
  const [actors, jobs] = await Promise.all([listAuditActors({ actor }), jobChoices(actor)]);
  return <AuditFilters current={{ actor: query.actor ?? "", action: query.action ?? "", targetId: query.targetId ?? "" }} actors={actors} jobs={jobs} />;
}

async function AuditEvents({ actor, query }: { actor: Actor; query: AuditQuery }) {
  const events = await listAudit({ actor, input: query });
  const targets = await auditTargetNames({ actor, input: { events: events.items } });
  return (
    <section aria-label="Audit events" className="audit-view">
      <p className="muted toolbar" data-testid="audit-count" role="status">
        {events.total === 1 ? "1 event" : `${events.total} events`}
        {hasAuditFilters(query) ? (events.total === 1 ? " matches the filters" : " match the filters") : ""}
      </p>
      {events.items.length === 0 ? (
        <EmptyAudit query={query} total={events.total} />
      ) : (
        <AuditTable events={events.items} targets={targets} serverNow={Date.now()} />
      )}
      {events.total > 0 ? <Pager page={query.page} pageSize={query.pageSize} total={events.total} href={(page) => auditHref(query, { page })} label="Audit events" /> : null}
    </section>
  );
}

/** Jobs to offer in the target filter, by name; any other target can still be pasted as an id. */
async function jobChoices(actor: Actor): Promise<[string, string][]> {
  const page = await listJobs({ actor, input: { page: 1, pageSize: JOB_CHOICES } });
  return page.items.map((job) => [job.id, job.name]);
}

function EmptyAudit({ query, total }: { query: AuditQuery; total: number }) {
  if (total > 0) {
    return (
      <div className="empty" data-testid="empty-state">
        <p>This page is past the end of the list.</p>
        <Link href={auditHref(query, { page: 1 })}>Go to the first page</Link>
      </div>
    );
  }
  if (hasAuditFilters(query)) {
    return (
      <div className="empty" data-testid="empty-state">
        <p>No audit events match these filters.</p>
        <Link href="/audit">Clear filters</Link>
      </div>
    );
  }
  return (
    <div className="empty" data-testid="empty-state">
      <p>Nothing has been audited yet. Changes to jobs, users and tokens will show here.</p>
    </div>
  );
}
