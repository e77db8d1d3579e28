"use client";
// Picks jobs by name for a chain list (onSuccess / onFailure): the chosen jobs as removable chips,
// and a search box whose matches can be added. Names come from the server by id and by query.
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { JobRef } from "@/lib/jobs/lookup";
import { MAX_CHAIN } from "@/lib/jobs/schemas";
import { lookupJobsAction } from "@/app/(console)/jobs/actions";

interface ChainPickerProps {
  id: string;
  label: string;
  hint: string;
  value: string[];
  onChange: (ids: string[]) => void;
  errors?: string[];
  /** The job being edited, which cannot chain to itself. */
  selfId?: string;
}

const SEARCH_DELAY_MS = 200;

export function ChainPicker({ id, label, hint, value, onChange, errors, selfId }: ChainPickerProps) {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<JobRef[]>([]);
  const [searching, startSearch] = useTransition();
  const remember = (jobs: JobRef[]) => setNames((known) => new Map([...known, ...jobs.map((job): [string, string] => [job.id, job.name])]));

  const unnamed = value.filter((jobId) => !names.has(jobId));
  useEffect(() => {
    if (unnamed.length === 0) return;
    void lookupJobsAction({ ids: unnamed }).then((result) => {
      if (result.ok) remember(result.data.named);
    });
    // Only when ids without a name appear (the form opened, or a list came back from the server).
  }, [unnamed.join(",")]);

  useEffect(() => {
    const text = query.trim();
    if (text === "") return setMatches([]);
    const timer = setTimeout(() => {
      startSearch(async () => {
        const result = await lookupJobsAction({ query: text });
        if (result.ok) setMatches(result.data.matches);
      });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const offered = matches.filter((job) => job.id !== selfId && !value.includes(job.id));
  const full = value.length >= MAX_CHAIN;
  return (
    <Field id={id} label={label} hint={full ? `At most ${MAX_CHAIN} jobs.` : hint} errors={errors}>
      {(control) => (
        <div className="chain-picker" data-testid={`${id}-picker`}>
          {value.length > 0 ? (
            <ul className="chips" aria-label={`${label}: chosen jobs`}>
              {value.map((jobId) => (
                <li key={jobId} className="chip">
                  <span>{names.get(jobId) ?? jobId}</span>
                  <Button variant="ghost" size="small" onClick={() => onChange(value.filter((other) => other !== jobId))} aria-label={`Remove ${names.get(jobId) ?? jobId} from ${label}`}>
                    ×
                  </Button>
                </li>
              ))}
            </ul>
          ) : null}
          <input {...control} type="search" placeholder="Find a job by name" value={query} disabled={full} onChange={(event) => setQuery(event.target.value)} aria-busy={searching || undefined} />
          {offered.length > 0 ? (
            <ul className="chain-matches" aria-label={`Jobs matching "${query}"`}>
              {offered.map((job) => (
                <li key={job.id}>
                  <Button
                    variant="secondary"
                    size="small"
                    onClick={() => {
                      remember([job]);
                      onChange([...value, job.id]);
                      setQuery("");
                    }}
                  >
                    Add {job.name}
                  </Button>
                </li>
              ))}
            </ul>
          ) : query.trim() !== "" && !searching && matches.length > 0 ? (
            <p className="muted small">Every match is already chosen.</p>
          ) : null}
        </div>
      )}
    </Field>
  );
}
