// Shown while the settings load.
export default function LoadingSettings() {
  return (
    <section aria-busy="true" aria-label="Settings">
      <div className="page-header">
        <h1 tabIndex={-1}>Settings</h1>
      </div>
      <p className="sr-only" role="status">
        Loading users and API tokens…
      </p>
      {["Users", "API tokens"].map((title) => (
        <div key={title} className="settings-section" aria-hidden="true">
          <h2>{title}</h2>
          <div className="table-wrap skeleton-table">
            {[0, 1, 2].map((row) => (
              <div key={row} className="skeleton-row">
                <span className="skeleton skeleton-wide" />
                <span className="skeleton" />
                <span className="skeleton" />
                <span className="skeleton" />
              </div>
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
