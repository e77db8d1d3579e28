"use client";
// An execution's "Copy id" (kept as its own name for execution-body.tsx).
import { CopyButton } from "@/components/ui/copy-button";

export function CopyIdButton({ id }: { id: string }) {
  return <CopyButton value={id} what="the id" label="Copy id" size="small" data-testid="copy-execution-id" />;
}
