// Any path under /api that no route serves: the contract's JSON 404, not Next.js's HTML page.
import { DomainError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/respond";

const unknownPath = async (request: Request): Promise<Response> =>
  errorResponse(new DomainError("NOT_FOUND", `No API endpoint at ${new URL(request.url).pathname}; see /api/openapi.json`));

// GET, POST, PUT, PATCH, DELETE, OPTIONS /api/<unknown> – 404 NOT_FOUND
export const GET = unknownPath;
export const POST = unknownPath;
export const PUT = unknownPath;
export const PATCH = unknownPath;
export const DELETE = unknownPath;
export const OPTIONS = unknownPath;
