"use client";
// Asks before something that cannot be undone from the console. The title names the thing;
// Cancel has the focus, so a stray Enter does no harm.
import { useRef, type ReactNode } from "react";
import { Button } from "./button";
import { Modal } from "./modal";

interface ConfirmDialogProps {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  tone?: "danger" | "primary";
  /** Where focus goes when the button that opened the dialog is gone (see Modal). */
  fallbackFocus?: () => HTMLElement | null;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel, tone = "danger", fallbackFocus }: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      title={title}
      onClose={onCancel}
      size="small"
      initialFocus={cancelRef}
      fallbackFocus={fallbackFocus}
      footer={
        <>
          <Button ref={cancelRef} variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button variant={tone} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
