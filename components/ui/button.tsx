// Buttons default to type="button", so a button inside a form never submits it by accident.
import type { ComponentPropsWithRef } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

interface ButtonProps extends ComponentPropsWithRef<"button"> {
  variant?: Variant;
  size?: "normal" | "small";
  /** Shows a busy state (and disables the button) while an action runs. */
  busy?: boolean;
}

export function Button({ variant = "primary", size = "normal", busy = false, className, type = "button", disabled, children, ...rest }: ButtonProps) {
  const classes = ["button", variant === "primary" ? "" : variant, size === "small" ? "small" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <button {...rest} type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}
