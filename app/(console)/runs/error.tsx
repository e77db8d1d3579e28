"use client";
// The run history failed to load (the runs layout's own data is caught by the console's boundary).
import { LoadError } from "@/components/ui/load-error";

export default function RunsError({ retry }: { retry: () => void }) {
  return <LoadError what="The run history" retry={retry} />;
}
