"use client";
// When the audit log cannot be loaded (e.g. the database is unreachable): say so and offer a retry.
import { Button } from "@/components/ui/button";

export default function AuditError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="callout danger" role="alert">
      <p className="callout-title">The audit log could not be loaded.</p>
      <p>This is usually a passing problem with the database connection; the details are in the server log.</p>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
