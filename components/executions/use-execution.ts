"use client";
// One execution, loaded through the server action and kept current while it is queued or running:
// its events on GET /api/events update the status and progress, and a start, finish or cancel
// request loads the whole record again (events carry a summary, not the result).
import { useCallback, useEffect, useRef, useState } from "react";
import type { ActionError } from "@/lib/actions/action";
import type { ExecutionDto } from "@/lib/executions/schemas";
import type { ExecutionSummary } from "@/lib/events/types";
import { getExecutionAction } from "@/app/(console)/executions/actions";
import { isActive } from "./timeline";

export type ExecutionState =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "failed"; error: ActionError }
  | { kind: "ready"; execution: ExecutionDto; canOperate: boolean };

const RELOAD_ON = ["execution.started", "execution.finished", "execution.cancel_requested"] as const;

export function useExecution(id: string) {
  const [state, setState] = useState<ExecutionState>({ kind: "loading" });
  // Answers can arrive out of order; only the newest request's answer is used.
  const latestRequest = useRef(0);

  const reload = useCallback(async () => {
    const request = ++latestRequest.current;
    const result = await getExecutionAction({ id });
    if (request !== latestRequest.current) return;
    if (result.ok) setState({ kind: "ready", ...result.data });
    else if (result.error.code === "NOT_FOUND" || result.error.code === "VALIDATION_FAILED") setState({ kind: "missing" });
    else setState({ kind: "failed", error: result.error });
  }, [id]);

  useEffect(() => {
    setState({ kind: "loading" });
    void reload();
  }, [reload]);

  const update = useCallback((changes: Partial<ExecutionDto>) => {
    setState((current) => (current.kind === "ready" ? { ...current, execution: { ...current.execution, ...changes } } : current));
  }, []);

  const active = state.kind === "ready" && isActive(state.execution.status);
  useEffect(() => {
    if (!active) return;
    const source = new EventSource("/api/events");
    const mine = (event: Event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { id: string };
      return data.id === id ? data : null;
    };
    // The snapshot comes first on every (re)connection: anything missed meanwhile is in the record.
    source.addEventListener("snapshot", () => void reload());
    source.addEventListener("execution.progress", (event) => {
      const data = mine(event) as { percent: number; message: string | null } | null;
      if (data) update({ progress: { percent: data.percent, message: data.message } });
    });
    for (const name of RELOAD_ON) {
      source.addEventListener(name, (event) => {
        const data = mine(event) as ExecutionSummary | null;
        if (!data) return;
        update(data);
        void reload();
      });
    }
    return () => source.close();
  }, [active, id, reload, update]);

  return { state, reload, update };
}
