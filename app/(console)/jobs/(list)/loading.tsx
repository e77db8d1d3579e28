// Shown while the list loads (first visit, new filters or page). The heading, stats and filters
// above it stay on screen.
import { TableSkeleton } from "@/components/ui/table-skeleton";

export default function LoadingJobs() {
  return <TableSkeleton rows={6} cols={5} label="jobs" toolbar className="jobs-view" />;
}
