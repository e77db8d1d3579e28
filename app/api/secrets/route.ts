import { route } from "@/lib/http/route";
import { listSecrets } from "@/lib/secrets";

// GET /api/secrets – every secret's name, dates and the jobs that use it; never a value (admin)
export const GET = route({ role: "admin" }, async ({ actor }) => ({ items: await listSecrets({ actor }) }));
