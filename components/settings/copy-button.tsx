"use client";
// Copies a value to the clipboard and says so (toast and aria-live). Where the clipboard API is
// refused, it selects the text in the given field so Ctrl+C / Cmd+C copies it.
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAnnounce } from "@/components/ui/live-region";

interface CopyButtonProps {
  value: string;
  /** What is copied, for the button's name and the messages: "the token". */
  what: string;
  fieldId: string;
}

export function CopyButton({ value, what, fieldId }: CopyButtonProps) {
  const announce = useAnnounce();
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`Copied ${what}`);
      announce(`Copied ${what} to the clipboard`);
    } catch {
      const field = document.getElementById(fieldId) as HTMLInputElement | null;
      field?.focus();
      field?.select();
      toast.info(`Press Ctrl+C (or ⌘C) to copy ${what}`);
      announce(`Could not copy automatically; ${what} is selected, press Control C to copy it`);
    }
  }

  return (
    <Button variant="secondary" onClick={copy}>
      {copied ? "Copied" : "Copy"}
      <span className="sr-only"> {what}</span>
      {copied ? <span aria-hidden="true"> ✓</span> : null}
    </Button>
  );
}
