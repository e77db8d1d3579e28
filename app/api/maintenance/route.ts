import { clearMaintenance, getMaintenance, MaintenanceInput, setMaintenance } from "@/lib/maintenance";
import { otherMethods, route } from "@/lib/http/route";

// GET /api/maintenance – the maintenance window in force, or null
export const GET = route({ role: "viewer" }, ({ actor }) => getMaintenance({ actor }));

// PUT /api/maintenance – start or change the window
export const PUT = route({ role: "admin", body: MaintenanceInput }, ({ actor, body }) => setMaintenance({ actor, input: body }));

// DELETE /api/maintenance – end the window now
export const DELETE = route({ role: "admin" }, async ({ actor }) => {
  await clearMaintenance({ actor });
  return new Response(null, { status: 204 });
});

// POST, PATCH, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PATCH, OPTIONS } = otherMethods({ GET, PUT, DELETE });
