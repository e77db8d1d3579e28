"use client";
// router.refresh() at most once per `gapMs`, for live views whose server-rendered parts (tables,
// figures) change with the stream's events. The URL (filters, page) and client state stay; a
// refresh still pending when the view unmounts is dropped.
import { startTransition, useCallback, useEffect, useRef } from "react";
import { useRouter } from "next/navigation";

export function useThrottledRefresh(gapMs: number): () => void {
  const router = useRouter();
  const routerRef = useRef(router);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const last = useRef(0);
  useEffect(() => {
    routerRef.current = router;
  }, [router]);
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(
      () => {
        timer.current = undefined;
        last.current = Date.now();
        startTransition(() => routerRef.current.refresh());
      },
      Math.max(0, last.current + gapMs - Date.now()),
    );
  }, [gapMs]);
}
