"use client";
// The audit log failed to load.
import { LoadError } from "@/components/ui/load-error";

export default function AuditError({ retry }: { retry: () => void }) {
  return <LoadError what="The audit log" retry={retry} />;
}
