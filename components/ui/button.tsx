// Buttons default to type="button", so a button inside a form never submits it by accident.
// A busy button stays focusable (aria-disabled, clicks ignored): disabling the button someone has
// just pressed would throw their keyboard focus back to the top of the page.
import type { ComponentPropsWithRef } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

interface ButtonProps extends ComponentPropsWithRef<"button"> {
  variant?: Variant;
  size?: "normal" | "small";
  /** Shows a busy state while an action runs. */
  busy?: boolean;
}

export function Button({ variant = "primary", size = "normal", busy = false, className, type = "button", onClick, children, ...rest }: ButtonProps) {
  const classes = ["button", variant === "primary" ? "" : variant, size === "small" ? "small" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <button
      {...rest}
      type={type}
      className={classes}
      aria-busy={busy || undefined}
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    >
      {children}
    </button>
  );
}
