"use client";
// A link that is prefetched when the pointer or the keyboard focus comes to it, not when it is on
// screen: a live page refreshes every few seconds, and each refresh would prefetch every such link
// on it again (a row's job, a page of the list, "Clear filters", the top bar's sections), each a
// server render competing with the page's own requests.
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

export function IntentLink({ href, onPointerEnter, onFocus, ...props }: Omit<ComponentProps<typeof Link>, "prefetch" | "href"> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onPointerEnter={(event) => {
        router.prefetch(href);
        onPointerEnter?.(event);
      }}
      onFocus={(event) => {
        router.prefetch(href);
        onFocus?.(event);
      }}
    />
  );
}
