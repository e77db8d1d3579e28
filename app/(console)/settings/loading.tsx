// Shown while the settings load.
import { TableSkeleton } from "@/components/ui/table-skeleton";

export default function LoadingSettings() {
  return (
    <>
      <div className="page-header">
        <h1 tabIndex={-1}>Settings</h1>
      </div>
      {["Users", "API tokens"].map((title) => (
        <div key={title} className="settings-section">
          <h2>{title}</h2>
          <TableSkeleton rows={3} cols={4} label={title === "Users" ? "users" : "API tokens"} />
        </div>
      ))}
    </>
  );
}
