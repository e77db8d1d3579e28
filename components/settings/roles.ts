import type { Role } from "@/lib/auth/roles";

/** What each role may do, in a line. */
export const ROLE_HINTS: Record<Role, string> = {
  viewer: "Viewer: sees jobs, runs and stats; changes nothing.",
  operator: "Operator: also creates, edits, runs and cancels jobs, and reads the audit log.",
  admin: "Admin: also manages users and API tokens.",
};
