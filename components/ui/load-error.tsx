"use client";
// What every error boundary of the console shows when its data cannot be loaded (e.g. the database
// is unreachable): say so and offer a retry, which fetches the segment again.
import { Button } from "@/components/ui/button";

export function LoadError({ what, retry }: { what: string; retry: () => void }) {
  return (
    <div className="callout danger" role="alert">
      <p className="callout-title">{what} could not be loaded.</p>
      <p>This is usually a passing problem with the database connection; the details are in the server log.</p>
      <Button variant="secondary" onClick={retry}>
        Try again
      </Button>
    </div>
  );
}
