import { listAudit } from "@/lib/audit/list";
import { AuditQuery } from "@/lib/audit/schemas";
import { route, otherMethods } from "@/lib/http/route";

// GET /api/audit – paginated audit events, newest first
export const GET = route({ role: "operator", query: AuditQuery }, ({ actor, query }) => listAudit({ actor, input: query }));

// POST, PUT, PATCH, DELETE, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
