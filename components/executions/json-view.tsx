"use client";
// A JSON value, pretty-printed; a large one shows its start with a button to see it whole.
import { useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { formatBytes, formatJson, truncateText } from "@/components/ui/json-text";

export function JsonView({ label, value, testId, tone }: { label: string; value: unknown; testId?: string; tone?: "danger" }) {
  const text = useMemo(() => formatJson(value), [value]);
  const cut = useMemo(() => truncateText(text), [text]);
  const [whole, setWhole] = useState(false);
  const labelId = useId();
  const blockId = useId();
  const shown = whole || !cut.truncated ? text : cut.text;
  return (
    <section className={`json-view${tone ? ` tone-${tone}-block` : ""}`} aria-labelledby={labelId} data-testid={testId}>
      <h3 id={labelId}>{label}</h3>
      {/* Focusable so that keyboard users can scroll a long line sideways. */}
      <pre id={blockId} className="json-block" tabIndex={0} aria-labelledby={labelId}>
        {shown}
        {shown === text ? null : "\n…"}
      </pre>
      {cut.truncated ? (
        <p className="json-more">
          {whole ? null : (
            <span className="muted small">
              Showing the start{cut.hiddenLines > 0 ? `; ${cut.hiddenLines} more line${cut.hiddenLines === 1 ? "" : "s"}` : ""}.{" "}
            </span>
          )}
          <Button variant="ghost" size="small" aria-expanded={whole} aria-controls={blockId} onClick={() => setWhole(!whole)}>
            {whole ? "Show less" : `Show all (${formatBytes(text)})`}
          </Button>
        </p>
      ) : null}
    </section>
  );
}
