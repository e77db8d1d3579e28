"use server";
// The console's job mutations: the same schemas and services as /api/jobs, through lib/actions.
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { toExecutionDto } from "@/lib/executions/serialize";
import { createJob, deleteJob, JobInput, JobPatch, setJobEnabled, updateJob, VersionBody } from "@/lib/jobs";
import { resetJob } from "@/lib/jobs/reset";
import { runJob, RunJobBody } from "@/lib/jobs/run";
import { backfillJob, BackfillBody, previewBackfill } from "@/lib/jobs/backfill";
import { bulkJobs } from "@/lib/jobs/bulk";
import { lookupJobs, LookupJobsInput } from "@/lib/jobs/lookup";
import { pauseJob, PauseBody, resumeJob } from "@/lib/jobs/pause";
import { BulkBody } from "@/lib/jobs/schemas";

const JOBS = ["/jobs"];
const JobRef = z.strictObject({ id: z.uuid() });
/** Console edits always say which version they started from, so a concurrent change is a CONFLICT. */
const VersionedRef = VersionBody.required().extend(JobRef.shape);

// Create a job
export const createJobAction = action({ name: "jobs.create", role: "operator", input: JobInput, revalidate: JOBS }, ({ actor, input }) =>
  createJob({ actor, input }),
);

// Change some fields of a job (PATCH semantics) at the version the form was opened with
export const updateJobAction = action(
  { name: "jobs.update", role: "operator", input: JobPatch.required({ version: true }).extend(JobRef.shape), revalidate: JOBS },
  ({ actor, input: { id, ...changes } }) => updateJob({ actor, input: { id, changes, mode: "patch" } }),
);

// Soft-delete a job
export const deleteJobAction = action(
  { name: "jobs.delete", role: "operator", input: VersionedRef, revalidate: JOBS },
  async ({ actor, input }) => {
    await deleteJob({ actor, input: { id: input.id, expectedVersion: input.version } });
    return { id: input.id };
  },
);

// Enable or disable a job
export const setJobEnabledAction = action(
  { name: "jobs.set-enabled", role: "operator", input: VersionedRef.extend({ enabled: z.boolean() }), revalidate: JOBS },
  ({ actor, input }) => setJobEnabled({ actor, input: { id: input.id, enabled: input.enabled, expectedVersion: input.version } }),
);

// Put a job paused after repeated failures back on its schedule
export const resetJobAction = action(
  { name: "jobs.reset", role: "operator", input: VersionedRef, revalidate: JOBS },
  ({ actor, input }) => resetJob({ actor, input: { id: input.id, expectedVersion: input.version } }),
);

// Queue a manual run now; warns (without refusing) when another run of the job is active
export const runJobAction = action(
  { name: "jobs.run", role: "operator", input: RunJobBody.extend(JobRef.shape), revalidate: JOBS },
  async ({ actor, input }) => {
    const { execution, warning } = await runJob({ actor, input });
    return { execution: toExecutionDto(execution), ...(warning ? { warning } : {}) };
  },
);

// Enable, disable, run or delete many jobs (by ids or by the list's filter); a result per job
export const bulkJobsAction = action({ name: "jobs.bulk", role: "operator", input: BulkBody, revalidate: JOBS }, ({ actor, input }) =>
  bulkJobs({ actor, input }),
);

// The fire times a backfill would queue (its dry run)
export const previewBackfillAction = action({ name: "jobs.backfill-preview", role: "operator", input: BackfillBody.extend(JobRef.shape) }, ({ actor, input }) =>
  previewBackfill({ actor, input }),
);

// Queue a backfill's runs
export const backfillJobAction = action({ name: "jobs.backfill", role: "operator", input: BackfillBody.extend(JobRef.shape), revalidate: JOBS }, ({ actor, input }) =>
  backfillJob({ actor, input }),
);

// Pause a job until a time (its fires are recorded as skipped meanwhile)
export const pauseJobAction = action(
  { name: "jobs.pause", role: "operator", input: PauseBody.required({ version: true }).extend(JobRef.shape), revalidate: JOBS },
  ({ actor, input }) => pauseJob({ actor, input: { id: input.id, until: input.until, expectedVersion: input.version } }),
);

// End a job's pause now
export const resumeJobAction = action({ name: "jobs.resume", role: "operator", input: VersionedRef, revalidate: JOBS }, ({ actor, input }) =>
  resumeJob({ actor, input: { id: input.id, expectedVersion: input.version } }),
);

// Jobs by name (for the chain pickers) and the names of jobs by id
export const lookupJobsAction = action({ name: "jobs.lookup", role: "viewer", input: LookupJobsInput }, ({ actor, input }) => lookupJobs({ actor, input }));
