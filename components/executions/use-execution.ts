"use client";
// One execution, read with GET /api/executions/:id (a fetch: server actions run one at a time and
// would queue these reads behind Cancel, Re-run and router.refresh), and kept current while it is
// queued or running through the console's one event stream: its events update the status and
// progress, and a start, finish or cancel request (or a reconnect) reads the whole record again.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ActionError } from "@/lib/actions/action";
import type { ExecutionDto } from "@/lib/executions/schemas";
import type { ExecutionSummary } from "@/lib/events/types";
import { isActive } from "@/lib/executions/status";
import { useEventStream, useStreamEvent } from "@/components/events/event-stream";

export type ExecutionState =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "failed"; error: ActionError }
  | { kind: "ready"; execution: ExecutionDto; canOperate: boolean };

/** What the read says; whether the viewer may operate comes from the console (the actor's role). */
type Read = Exclude<ExecutionState, { kind: "ready" }> | { kind: "ready"; execution: ExecutionDto };

export function useExecution(id: string) {
  const { canOperate } = useEventStream();
  const [state, setState] = useState<Read>({ kind: "loading" });
  // Only the newest read's answer is used; older ones are aborted.
  const inFlight = useRef<AbortController>(undefined);

  const reload = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const next = await readExecution(id, controller.signal);
    if (next && inFlight.current === controller) setState(next);
  }, [id]);

  useEffect(() => {
    setState({ kind: "loading" });
    void reload();
    return () => inFlight.current?.abort();
  }, [reload]);

  const update = useCallback((changes: Partial<ExecutionDto>) => {
    setState((current) => (current.kind === "ready" ? { ...current, execution: { ...current.execution, ...changes } } : current));
  }, []);

  // Listening from the first read on: a short run can finish between the read and a later subscription.
  const active = state.kind !== "ready" || isActive(state.execution.status);
  const changed = (run: ExecutionSummary) => {
    if (run.id !== id) return;
    update(run);
    void reload();
  };
  // The snapshot comes first on every reconnect: anything missed meanwhile is in the record.
  useStreamEvent("snapshot", () => void reload(), active);
  useStreamEvent("execution.progress", (data) => data.id === id && update({ progress: { percent: data.percent, message: data.message } }), active);
  useStreamEvent("execution.started", changed, active);
  useStreamEvent("execution.finished", changed, active);
  useStreamEvent("execution.cancel_requested", changed, active);

  const shown: ExecutionState = state.kind === "ready" ? { ...state, canOperate } : state;
  return { state: shown, reload, update };
}

/** The record, or why there is none; null when the read was aborted for a newer one. */
async function readExecution(id: string, signal: AbortSignal): Promise<Exclude<Read, { kind: "loading" }> | null> {
  try {
    const response = await fetch(`/api/executions/${encodeURIComponent(id)}`, { signal, cache: "no-store", headers: { accept: "application/json" } });
    if (response.ok) return { kind: "ready", execution: (await response.json()) as ExecutionDto };
    const body = (await response.json().catch(() => null)) as { error?: ActionError } | null;
    const error = body?.error ?? { code: "INTERNAL", message: `The server answered ${response.status}`, retryable: true };
    if (error.code === "NOT_FOUND" || error.code === "VALIDATION_FAILED") return { kind: "missing" };
    return { kind: "failed", error };
  } catch (error) {
    if (signal.aborted) return null;
    return { kind: "failed", error: { code: "INTERNAL", message: `The server could not be reached (${error instanceof Error ? error.message : String(error)})`, retryable: true } };
  }
}
