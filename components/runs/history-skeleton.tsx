// Shown while a page of history loads (first visit, new filters or page).
const SKELETON_ROWS = 6;

export function HistorySkeleton() {
  return (
    <div aria-busy="true" data-testid="history-loading">
      <p className="sr-only" role="status">
        Loading runs…
      </p>
      <div className="table-wrap skeleton-table" aria-hidden="true">
        {Array.from({ length: SKELETON_ROWS }, (_, index) => (
          <div key={index} className="skeleton-row">
            <span className="skeleton" />
            <span className="skeleton skeleton-wide" />
            <span className="skeleton" />
            <span className="skeleton" />
            <span className="skeleton skeleton-wide" />
          </div>
        ))}
      </div>
    </div>
  );
}
