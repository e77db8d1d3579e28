import { stats } from "@/lib/executions/stats";
import { route } from "@/lib/http/route";

// GET /api/stats – counts, success rate and durations
export const GET = route({ role: "viewer" }, ({ actor }) => stats({ actor }));
