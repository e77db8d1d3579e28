"use client";
// The users or API tokens failed to load.
import { LoadError } from "@/components/ui/load-error";

export default function SettingsError({ retry }: { retry: () => void }) {
  return <LoadError what="The settings" retry={retry} />;
}
