import { cleanupStalled } from "@/lib/engine/sweep";
import { route } from "@/lib/http/route";

// POST /api/executions/cleanup-stalled – run the stalled sweep now (admin)
export const POST = route({ role: "admin" }, ({ actor }) => cleanupStalled({ actor }));
