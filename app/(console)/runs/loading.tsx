// Shown while the runs page loads. Navigating to /runs fetches the runs layout (figures, live
// monitor, filters) with the prefetch up to here, so the frame shows at once with this below it.
// (No loading.tsx above the sections: a fallback starts the response, and /jobs/<unknown id> must
// still answer 404.)
import { TableSkeleton } from "@/components/ui/table-skeleton";

export default function LoadingRuns() {
  return <TableSkeleton rows={6} cols={5} label="runs" />;
}
