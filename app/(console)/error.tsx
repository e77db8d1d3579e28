"use client";
// Errors of any console page and of the layouts inside the console's own: the runs and jobs
// layouts load stats and jobs, and an error.tsx never catches the layout beside it, so this one, a
// level up, catches theirs. The console's header and navigation stay on screen.
import { LoadError } from "@/components/ui/load-error";

export default function ConsoleError({ retry }: { retry: () => void }) {
  return <LoadError what="This page" retry={retry} />;
}
