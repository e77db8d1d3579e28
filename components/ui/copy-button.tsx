"use client";
// Copies a value to the clipboard and says so (toast, aria-live, "Copied" on the button for a
// moment). The Clipboard API needs a secure context (https or localhost); elsewhere copyText falls
// back to execCommand, and failing that a given field's text is selected for Ctrl+C / Cmd+C.
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAnnounce } from "@/components/ui/live-region";

interface CopyButtonProps {
  value: string;
  /** What is copied, for the messages (and the button's name): "the token". */
  what: string;
  /** Visible text naming the button on its own, e.g. "Copy id"; by default "Copy" and, for screen readers, `what`. */
  label?: string;
  size?: "normal" | "small";
  /** A field showing the value, selected when copying fails so the keyboard can copy it. */
  fieldId?: string;
  "data-testid"?: string;
}

const COPIED_MS = 2000;

export function CopyButton({ value, what, label, size = "normal", fieldId, "data-testid": testId }: CopyButtonProps) {
  const announce = useAnnounce();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    const button = buttonRef.current;
    const ok = await copyText(value, button?.closest("dialog") ?? document.body);
    if (ok) {
      button?.focus();
      setCopied(true);
      toast.success(`Copied ${what}`);
      announce(`Copied ${what} to the clipboard`);
      return;
    }
    const field = fieldId ? (document.getElementById(fieldId) as HTMLInputElement | null) : null;
    if (field) {
      field.focus();
      field.select();
      toast.info(`Press Ctrl+C (or ⌘C) to copy ${what}`);
      announce(`Could not copy automatically; ${what} is selected, press Control C to copy it`);
      return;
    }
    button?.focus();
    toast.error(`Could not copy ${what}`, { description: value });
    announce(`Could not copy ${what}`);
  }

  return (
    <Button ref={buttonRef} variant="secondary" size={size} onClick={copy} data-testid={testId}>
      {copied ? (
        <>
          <span aria-hidden="true">✓ </span>Copied
        </>
      ) : (
        (label ?? "Copy")
      )}
      {label ? null : <span className="sr-only"> {what}</span>}
    </Button>
  );
}

/** Copies text; false when neither the Clipboard API nor execCommand would. */
export async function copyText(text: string, container: HTMLElement = document.body): Promise<boolean> {
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
