"use server";
// The console's maintenance window controls (admin): the same schema and services as /api/maintenance.
import { action } from "@/lib/actions/action";
import { clearMaintenance, MaintenanceInput, setMaintenance } from "@/lib/maintenance";

// Every console page shows the banner, so every page is revalidated.
const EVERYWHERE = ["/"];

// Start or change the maintenance window
export const setMaintenanceAction = action({ name: "maintenance.set", role: "admin", input: MaintenanceInput, revalidate: EVERYWHERE }, ({ actor, input }) =>
  setMaintenance({ actor, input }),
);

// End the maintenance window now
export const clearMaintenanceAction = action({ name: "maintenance.clear", role: "admin", input: MaintenanceInput.pick({}), revalidate: EVERYWHERE }, async ({ actor }) => {
  await clearMaintenance({ actor });
  return null;
});
