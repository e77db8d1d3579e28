// Shown while a console section opens. The runs and jobs layouts (and the audit page's filters)
// wait for their data before anything renders, and a section's own loading.tsx sits inside its
// layout, so only a boundary a level up shows something meanwhile. Changing filters or pages
// within a section does not come back here (the section's segment stays the same).
import { TableSkeleton } from "@/components/ui/table-skeleton";

export default function LoadingSection() {
  return <TableSkeleton rows={6} cols={5} label="the page" toolbar />;
}
