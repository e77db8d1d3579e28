"use client";
// The details modal's chain: the run whose finish created this one, and the runs this one's finish
// created (read with GET /api/executions?parentExecutionId=, once it has finished).
import { useEffect, useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import { shortId } from "@/components/ui/short-id";
import type { ExecutionDto } from "@/lib/executions/schemas";
import { isActive } from "@/lib/executions/status";
import { executionHref } from "./execution-href";
import { ExecutionLink } from "./execution-link";

type Child = Pick<ExecutionDto, "id" | "jobName" | "status">;

export function ChainFacts({ execution }: { execution: ExecutionDto }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const children = useChildren(execution.id, !isActive(execution.status));
  const href = (id: string) => executionHref(pathname, search.toString(), id);
  if (!execution.parentExecutionId && children.length === 0) return null;
  return (
    <>
      {execution.parentExecutionId ? (
        <div>
          <dt>Chained from</dt>
          <dd data-testid="execution-parent">
            <ExecutionLink href={href(execution.parentExecutionId)} className="mono" label={`Details of the parent run ${shortId(execution.parentExecutionId)}`}>
              {shortId(execution.parentExecutionId)}
            </ExecutionLink>
          </dd>
        </div>
      ) : null}
      {children.length > 0 ? (
        <div>
          <dt>Chained runs</dt>
          <dd>
            <ul className="inline-list" data-testid="execution-children">
              {children.map((child) => (
                <li key={child.id}>
                  <ExecutionLink href={href(child.id)} label={`Details of the chained run ${shortId(child.id)} of ${child.jobName}`}>
                    {child.jobName} <span className="mono">{shortId(child.id)}</span>
                  </ExecutionLink>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
    </>
  );
}

function useChildren(id: string, finished: boolean): Child[] {
  const [children, setChildren] = useState<Child[]>([]);
  useEffect(() => {
    setChildren([]);
    if (!finished) return;
    const controller = new AbortController();
    fetch(`/api/executions?parentExecutionId=${encodeURIComponent(id)}&pageSize=20`, { signal: controller.signal, cache: "no-store", headers: { accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { items: [] }))
      .then((page: { items: Child[] }) => setChildren(page.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [id, finished]);
  return children;
}
