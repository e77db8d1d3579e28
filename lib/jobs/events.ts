// Job events for live views: published after the change commits.
import { publish } from "@/lib/events/bus";

export const publishJobChanged = (job: { id: string; version: number }) => publish({ name: "job.changed", data: { id: job.id, version: job.version } });

export const publishJobDeleted = (job: { id: string; version: number }) => publish({ name: "job.deleted", data: { id: job.id, version: job.version } });
