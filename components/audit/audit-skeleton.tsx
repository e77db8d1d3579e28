// Shown while the audit events load (first visit, new filters or page); the filters stay usable.
const SKELETON_ROWS = 8;

export function AuditSkeleton() {
  return (
    <section aria-busy="true" aria-label="Audit events">
      <p className="sr-only" role="status">
        Loading audit events…
      </p>
      <div className="toolbar">
        <span className="skeleton skeleton-text" />
      </div>
      <div className="table-wrap skeleton-table" aria-hidden="true">
        {Array.from({ length: SKELETON_ROWS }, (_, index) => (
          <div key={index} className="skeleton-row">
            <span className="skeleton" />
            <span className="skeleton skeleton-wide" />
            <span className="skeleton" />
            <span className="skeleton skeleton-wide" />
          </div>
        ))}
      </div>
    </section>
  );
}
