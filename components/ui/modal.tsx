"use client";
// A modal on the native <dialog>: the browser traps focus, makes the page behind it inert and
// closes it on Escape. Mount it to open it and unmount it to close it; focus goes back to the
// element that opened it; when that element is gone (a revoked token's button), to `fallbackFocus`,
// else to the page heading.
import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";

interface ModalProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: "small" | "large";
  /** Focused when the modal opens; by default the browser picks the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Extra content on the title line, e.g. a badge. */
  titleExtra?: ReactNode;
  /** Where focus goes on closing when the element that opened the modal is gone. */
  fallbackFocus?: () => HTMLElement | null;
}

export function Modal({ title, onClose, children, footer, size = "large", initialFocus, titleExtra, fallbackFocus }: ModalProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const fallbackRef = useRef(fallbackFocus);
  useEffect(() => {
    onCloseRef.current = onClose;
    fallbackRef.current = fallbackFocus;
  }, [onClose, fallbackFocus]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    initialFocus?.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      returnFocus(opener, fallbackRef.current);
    };
    // Opening is a mount-time effect; initialFocus is read once on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className={`modal modal-${size}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React state decide, so the dialog and the state never disagree.
        event.preventDefault();
        onCloseRef.current();
      }}
      onClose={() => onCloseRef.current()}
    >
      <div className="modal-header">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        {titleExtra}
        <button type="button" className="modal-close" aria-label="Close" onClick={() => onCloseRef.current()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="modal-body">{children}</div>
      {footer ? <div className="modal-footer">{footer}</div> : null}
    </dialog>
  );
}

function returnFocus(opener: HTMLElement | null, fallback: (() => HTMLElement | null) | undefined): void {
  if (opener?.isConnected && typeof opener.focus === "function") {
    opener.focus();
    return;
  }
  (fallback?.() ?? document.querySelector<HTMLElement>("main h1"))?.focus();
}
