"use client";
// When the settings cannot be loaded (e.g. the database is unreachable): say so and offer a retry.
import { Button } from "@/components/ui/button";

export default function SettingsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="callout danger" role="alert">
      <p className="callout-title">The settings could not be loaded.</p>
      <p>This is usually a passing problem with the database connection; the details are in the server log.</p>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
