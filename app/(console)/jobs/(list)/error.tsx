"use client";
// The job list failed to load (the list layout's stats are caught by the console's boundary).
import { LoadError } from "@/components/ui/load-error";

export default function JobsError({ retry }: { retry: () => void }) {
  return <LoadError what="The jobs" retry={retry} />;
}
