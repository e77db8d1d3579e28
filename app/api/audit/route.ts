import { listAudit } from "@/lib/audit/list";
import { AuditQuery } from "@/lib/audit/schemas";
import { route } from "@/lib/http/route";

// GET /api/audit – paginated audit events, newest first
export const GET = route({ role: "operator", query: AuditQuery }, ({ actor, query }) => listAudit({ actor, input: query }));
