"use client";
// Failed server actions, told the console's way: an expired session gets a sign-in button
// instead of the API's "send an API token".
import { toast } from "sonner";
import type { ActionError } from "@/lib/actions/action";

export function describeActionError(error: ActionError): string {
  if (error.code === "UNAUTHENTICATED") return "Your session has ended. Sign in again to continue.";
  return error.message;
}

export function toastActionError(headline: string, error: ActionError, description = describeActionError(error)): void {
  const signIn =
    error.code === "UNAUTHENTICATED"
      ? { action: { label: "Sign in", onClick: () => window.location.assign(`/login?callbackUrl=${encodeURIComponent(location.pathname + location.search)}`) } }
      : {};
  toast.error(headline, { description, ...signIn });
}
