"use client";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { JobDto } from "@/lib/jobs/schemas";

export function DeleteJobDialog({ job, onConfirm, onCancel }: { job: JobDto; onConfirm: () => void; onCancel: () => void }) {
  return (
    <ConfirmDialog title={`Delete "${job.name}"?`} confirmLabel="Delete job" onConfirm={onConfirm} onCancel={onCancel}>
      <p>
        <strong>{job.name}</strong> stops being scheduled and disappears from the console and the API.
      </p>
      <p className="muted">Its past executions and audit history are kept. This cannot be undone from the console.</p>
    </ConfirmDialog>
  );
}
