// Shown while the list loads (first visit, new filters or page). The heading, stats and filters
// above it stay on screen.
const SKELETON_ROWS = 6;

export default function LoadingJobs() {
  return (
    <section className="jobs-view" aria-busy="true" aria-label="Job list">
      <p className="sr-only" role="status">
        Loading jobs…
      </p>
      <div className="toolbar">
        <span className="skeleton skeleton-text" />
      </div>
      <div className="table-wrap skeleton-table" aria-hidden="true">
        {Array.from({ length: SKELETON_ROWS }, (_, index) => (
          <div key={index} className="skeleton-row">
            <span className="skeleton skeleton-wide" />
            <span className="skeleton" />
            <span className="skeleton skeleton-wide" />
            <span className="skeleton" />
            <span className="skeleton" />
          </div>
        ))}
      </div>
    </section>
  );
}
