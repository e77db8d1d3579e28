// A status label: an icon and words, never colour alone. The tone only adds colour.
import type { ReactNode } from "react";

export type Tone = "ok" | "danger" | "warn" | "info" | "muted" | "neutral";

export function Badge({ tone = "neutral", icon, title, children }: { tone?: Tone; icon?: string; title?: string; children: ReactNode }) {
  return (
    <span className={`badge tone-${tone}`} title={title}>
      {icon ? (
        <span className="badge-icon" aria-hidden="true">
          {icon}
        </span>
      ) : null}
      {children}
    </span>
  );
}
