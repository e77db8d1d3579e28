"use client";
// What the users and tokens tables share: a change shows on its row at once (useOptimistic, the
// row marked as saving) and falls back, with a toast and an announcement saying why, when the
// server refuses; and the one dialog a table has open at a time.
import { startTransition, useCallback, useOptimistic, useState } from "react";
import { toast } from "sonner";
import { useAnnounce } from "@/components/ui/live-region";
import type { ActionError, ActionResult } from "@/lib/actions/action";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";

export type Saving<T> = T & { saving?: boolean };
type Patch<T> = { id: string; changes: Partial<T> };

interface RowChange<T> {
  id: string;
  changes: Partial<T>;
  save: () => Promise<ActionResult<unknown>>;
  /** Toasted and announced on success. */
  done: string;
  doneDescription?: string;
  /** The headline of a failure: "Could not revoke …". */
  failure: string;
  onFailure?: (error: ActionError) => void;
}

export function useOptimisticRows<T extends { id: string }>(rows: T[]) {
  const announce = useAnnounce();
  const [shown, patch] = useOptimistic<Saving<T>[], Patch<T>>(rows, (current, { id, changes }) =>
    current.map((row) => (row.id === id ? { ...row, ...changes, saving: true } : row)),
  );
  function change({ id, changes, save, done, doneDescription, failure, onFailure }: RowChange<T>) {
    startTransition(async () => {
      patch({ id, changes });
      const result = await save();
      if (!result.ok) {
        toastActionError(failure, result.error);
        announce(`${failure}. ${describeActionError(result.error)}`);
        onFailure?.(result.error);
        return;
      }
      toast.success(done, doneDescription ? { description: doneDescription } : undefined);
      announce(done);
    });
  }
  return [shown, change] as const;
}

/** The dialog a table has open (adding, confirming), or null. */
export function useDialog<D>() {
  const [dialog, setDialog] = useState<D | null>(null);
  const close = useCallback(() => setDialog(null), []);
  return [dialog, setDialog, close] as const;
}
