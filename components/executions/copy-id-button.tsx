"use client";
// Copies an execution id. The Clipboard API needs a secure context (https or localhost), so a
// console served over plain http elsewhere falls back to a selected textarea and execCommand.
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

export function CopyIdButton({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    const button = buttonRef.current;
    const ok = await copyText(id, button?.closest("dialog") ?? document.body);
    button?.focus();
    if (!ok) {
      toast.error("Could not copy the id", { description: id });
      return;
    }
    setCopied(true);
    toast.success("Copied", { description: id });
  }

  return (
    <Button ref={buttonRef} variant="secondary" size="small" onClick={copy} data-testid="copy-execution-id">
      {copied ? (
        <>
          <span aria-hidden="true">✓ </span>Copied
        </>
      ) : (
        "Copy id"
      )}
    </Button>
  );
}

export async function copyText(text: string, container: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Inside a modal dialog the textarea must be in the dialog: the page behind it is inert.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    container.append(area);
    area.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}
