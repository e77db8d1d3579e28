"use client";
// The details modal's Logs tab: a run's log, followed live while the run is active. The list is
// windowed (only the rows in view are in the document), so 10,000 lines scroll as smoothly as ten.
// It sticks to the newest line until the reader scrolls up; "Jump to latest" sticks it again.
// Levels can be hidden, a search keeps the lines containing the text (highlighted), and the whole
// log downloads as text.
import { memo, useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Button } from "@/components/ui/button";
import { isActive } from "@/lib/executions/status";
import type { ExecutionDto } from "@/lib/executions/schemas";
import { LEVEL_LOOK, LOG_LEVELS, type LogLevel } from "@/components/ui/log-level";
import { countByLevel, filterLines, highlightParts, type HeldLine } from "./run-log";
import { useRunLog } from "./use-run-log";

/** Rows are one line of fixed height: the window needs no measuring. Kept in step with .log-row in globals.css. */
const ROW_PX = 20;
/** Within this many pixels of the end counts as "at the end" (sub-pixel scroll positions, zoom). */
const END_SLACK_PX = 8;

const rowSize = () => ROW_PX;

/** hh:mm:ss.mmm in the browser's time zone; by hand, as Intl's formatter costs more than the rest of a row. */
function clockTime(iso: string): string {
  const at = new Date(iso);
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, "0")}`;
}

export function ExecutionLogs({ execution }: { execution: ExecutionDto }) {
  const active = isActive(execution.status);
  const { log, error, retry } = useRunLog(execution.id, active);
  const [levels, setLevels] = useState<ReadonlySet<LogLevel>>(() => new Set(LOG_LEVELS));
  const [search, setSearch] = useState("");
  // Typing stays responsive with 10,000 lines: the list filters behind the keystrokes.
  const deferredSearch = useDeferredValue(search);
  const shown = useMemo(() => filterLines(log.lines, { levels, search: deferredSearch }), [log.lines, levels, deferredSearch]);
  const counts = useMemo(() => countByLevel(log.lines), [log.lines]);
  const filtered = shown.length !== log.lines.length;
  const downloadHref = `/api/executions/${encodeURIComponent(execution.id)}/logs?format=text`;
  const count = (
    <span className="log-count muted small" data-testid="log-count">
      {filtered ? `${shown.length.toLocaleString("en-US")} of ${log.lines.length.toLocaleString("en-US")} lines` : `${log.lines.length.toLocaleString("en-US")} lines`}
      {active ? " · live" : ""}
    </span>
  );

  function toggle(level: LogLevel) {
    const next = new Set(levels);
    if (next.has(level)) next.delete(level);
    else next.add(level);
    setLevels(next);
  }

  return (
    <section className="execution-logs" aria-label="Run log" data-testid="execution-logs">
      <div className="log-toolbar">
        <div className="log-search">
          <label htmlFor="log-search-input" className="sr-only">
            Search the log
          </label>
          <input id="log-search-input" type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search the log" autoComplete="off" spellCheck={false} />
        </div>
        <fieldset className="log-levels">
          <legend className="sr-only">Levels shown</legend>
          {LOG_LEVELS.map((level) => (
            <label key={level} className={`log-level-toggle tone-${LEVEL_LOOK[level].tone}`}>
              <input type="checkbox" checked={levels.has(level)} onChange={() => toggle(level)} />
              {level} <span className="muted">{counts[level].toLocaleString("en-US")}</span>
            </label>
          ))}
        </fieldset>
        <a className="button secondary small log-download" href={downloadHref} download data-testid="log-download">
          <span aria-hidden="true">⤓ </span>Download
        </a>
      </div>
      {log.truncated ? (
        <p className="callout warn log-truncated" data-testid="log-truncated">
          <span aria-hidden="true">⚠ </span>Truncated: the run printed more than a log keeps (10,000 lines or 2 MiB); later lines were dropped.
        </p>
      ) : null}
      {error ? (
        <div className="callout danger" role="alert">
          <p>Could not load the log: {error.message}</p>
          <Button variant="secondary" size="small" onClick={retry}>
            Try again
          </Button>
        </div>
      ) : null}
      {!log.loaded && !error ? (
        <p className="muted" role="status" data-testid="log-loading">
          Loading the log…
        </p>
      ) : log.loaded && log.lines.length === 0 ? (
        <p className="empty log-empty" data-testid="log-empty">
          {active ? "Nothing logged yet. Lines appear here as the run writes them." : "This run logged nothing."}
        </p>
      ) : log.loaded ? (
        <LogList lines={shown} search={deferredSearch} longest={log.longest} filtered={filtered} count={count} />
      ) : null}
      {log.loaded && log.lines.length === 0 ? count : null}
    </section>
  );
}

interface LogListProps {
  lines: HeldLine[];
  /** "120 lines · live", shown beside the follow status. */
  count: ReactNode;
  search: string;
  longest: number;
  filtered: boolean;
}

function LogList({ lines, search, longest, filtered, count }: LogListProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  // Lines that arrived while the reader was scrolled up, for the "Jump to latest" button.
  const [seenCount, setSeenCount] = useState(lines.length);
  const lastTop = useRef(0);
  // Stable between renders of the same lines, so the window's positions are computed once per change of the list.
  const getItemKey = useCallback((index: number) => lines[index].seq, [lines]);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => viewport.current,
    estimateSize: rowSize,
    overscan: 20,
    getItemKey,
    useFlushSync: false,
  });

  // Following: every change of the list puts the newest line in view.
  useLayoutEffect(() => {
    const element = viewport.current;
    if (!following || !element) return;
    element.scrollTop = element.scrollHeight;
    lastTop.current = element.scrollTop;
  }, [following, lines.length]);
  useEffect(() => {
    if (following) setSeenCount(lines.length);
  }, [following, lines.length]);

  function onScroll() {
    const element = viewport.current;
    if (!element) return;
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight <= END_SLACK_PX;
    // Only the reader moves up: new lines and following only ever move down.
    if (atEnd) setFollowing(true);
    else if (element.scrollTop < lastTop.current) setFollowing(false);
    lastTop.current = element.scrollTop;
  }

  function jumpToLatest() {
    setFollowing(true);
    viewport.current?.focus();
  }

  const unseen = following ? 0 : Math.max(0, lines.length - seenCount);
  return (
    <div className="log-frame">
      {lines.length === 0 && filtered ? (
        <p className="empty log-empty" data-testid="log-no-match">
          No line matches the search and levels chosen.
        </p>
      ) : null}
      <div
        ref={viewport}
        className="log-viewport"
        tabIndex={0}
        role="region"
        aria-label="Log lines (scroll up to stop following the newest line; End follows it again)"
        onScroll={onScroll}
        onKeyDown={(event) => {
          // End goes to the newest line and follows it, even while lines stream in faster than a smooth scroll lands.
          if (event.key === "End") {
            event.preventDefault();
            setFollowing(true);
          }
        }}
        data-testid="log-viewport"
        data-following={following}
        hidden={lines.length === 0}
      >
        <div role="list" className="log-rows" style={{ height: virtualizer.getTotalSize(), minWidth: `calc(${longest + 22}ch + 1rem)` }}>
          {virtualizer.getVirtualItems().map((row) => {
            const line = lines[row.index];
            return <LogRow key={row.key} line={line} search={search} top={row.start} position={row.index + 1} total={lines.length} />;
          })}
        </div>
      </div>
      <div className="log-footer">
        {count}
        <div className="log-follow" role="status" aria-live="polite">
          {following ? (
            <span className="muted small" data-testid="log-following">
              Following the newest line
            </span>
          ) : (
            <>
              <span className="muted small">Paused: scrolled up.</span>
              <Button variant="secondary" size="small" onClick={jumpToLatest} data-testid="log-jump">
                <span aria-hidden="true">↓ </span>Jump to latest{unseen > 0 ? ` (${unseen.toLocaleString("en-US")} new)` : ""}
              </Button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

/** Memoised: while the window slides, the rows that stay in it are not drawn again. */
const LogRow = memo(function LogRow({ line, search, top, position, total }: { line: HeldLine; search: string; top: number; position: number; total: number }) {
  const look = LEVEL_LOOK[line.level];
  return (
    <div
      role="listitem"
      aria-posinset={position}
      aria-setsize={total}
      className={`log-row level-${look.tone}`}
      style={{ transform: `translateY(${top}px)` }}
      data-seq={line.seq}
      data-level={line.level}
    >
      <time className="log-time" dateTime={line.at}>
        {clockTime(line.at)}
      </time>
      <span className="log-level">
        <span aria-hidden="true" className="log-mark">
          {look.mark}
        </span>
        {look.label}
      </span>
      <span className="log-message">
        {highlightParts(line.message, search).map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : part.text))}
        {line.short ? <span className="muted"> (shortened; the download has it whole)</span> : null}
      </span>
    </div>
  );
});
