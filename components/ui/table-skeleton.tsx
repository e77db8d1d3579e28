// Shown while a table loads (first visit, new filters or page): grey rows in the table's frame,
// and "Loading <label>…" for screen readers. Every list's loading state uses this one.
export function TableSkeleton({ rows, cols, label, toolbar = false, className }: { rows: number; cols: number; label: string; toolbar?: boolean; className?: string }) {
  return (
    <section className={className} aria-busy="true" aria-label={`Loading ${label}`}>
      <p className="sr-only" role="status">
        Loading {label}…
      </p>
      {toolbar ? (
        <div className="toolbar" aria-hidden="true">
          <span className="skeleton skeleton-text" />
        </div>
      ) : null}
      <div className="table-wrap skeleton-table" aria-hidden="true">
        {Array.from({ length: rows }, (_, row) => (
          <div key={row} className="skeleton-row">
            {Array.from({ length: cols }, (_, col) => (
              <span key={col} className={col % 2 === 1 ? "skeleton skeleton-wide" : "skeleton"} />
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
