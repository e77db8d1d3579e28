"use client";
// The execution details modal, opened by the `execution=<id>` search param (deep-linkable).
// Mount <ExecutionDetails /> once on a page; links from ExecutionLink or executionHref open it.
// Closing removes the param, and the modal returns focus to the link that opened it.
import { Suspense, useEffect, useRef, useState } from "react";
import { useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { Tabs } from "@/components/ui/tabs";
import type { ExecutionDto } from "@/lib/executions/schemas";
import { ExecutionBody, ExecutionStatus, ExecutionStatusAnnouncement } from "./execution-body";
import { ExecutionLogs } from "./execution-logs";
import { closeExecution, EXECUTION_PARAM, registerDetailsHost, showExecution } from "./execution-href";
import { isActive } from "@/lib/executions/status";
import { runName, useExecutionCommands, type CommandNotice as Notice } from "./use-execution-commands";
import { useExecution, type ExecutionState } from "./use-execution";

export function ExecutionDetails() {
  useEffect(registerDetailsHost, []);
  // useSearchParams needs a Suspense boundary when a page is prerendered.
  return (
    <Suspense fallback={null}>
      <ExecutionDetailsFromUrl />
    </Suspense>
  );
}

function ExecutionDetailsFromUrl() {
  const id = useSearchParams().get(EXECUTION_PARAM);
  return id ? <ExecutionModal id={id} /> : null;
}

/** One Modal for every state and every run shown, so focus goes back to the original opener at the end. */
function ExecutionModal({ id }: { id: string }) {
  const { state, update } = useExecution(id);
  // Kept while the modal shows another run (re-run, "View the new run"): someone reading logs goes on reading logs.
  const [tab, setTab] = useState("details");
  const execution = state.kind === "ready" ? state.execution : null;
  const bodyRef = useRef<HTMLDivElement>(null);
  const close = closeExecution;
  const show = (nextId: string) => {
    showExecution(nextId);
    // The button that was pressed goes away with the old run; keep the focus inside the modal.
    bodyRef.current?.focus();
  };
  return (
    <Modal
      title={execution ? titleOf(execution) : "Execution"}
      titleExtra={execution ? <ExecutionStatus execution={execution} /> : null}
      onClose={close}
      footer={
        <>
          {state.kind === "ready" && state.canOperate ? <OperatorActions execution={state.execution} update={update} onShow={show} /> : null}
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
        </>
      }
    >
      <div ref={bodyRef} tabIndex={-1} className={`execution-details${execution && tab === "logs" ? " showing-logs" : ""}`} data-testid="execution-details" data-execution-id={execution?.id}>
        <StateView state={state} tab={tab} onTab={setTab} />
      </div>
    </Modal>
  );
}

function StateView({ state, tab, onTab }: { state: ExecutionState; tab: string; onTab: (tab: string) => void }) {
  switch (state.kind) {
    case "loading":
      return (
        <p className="muted" role="status" data-testid="execution-loading">
          Loading the execution…
        </p>
      );
    case "missing":
      return (
        <div className="empty" data-testid="execution-missing">
          <p>This execution does not exist, or the link is incomplete.</p>
        </div>
      );
    case "failed":
      return (
        <p className="callout danger" role="alert">
          Could not load the execution: {state.error.message}
        </p>
      );
    case "ready":
      return (
        <div key={state.execution.id} className="execution-view">
          <ExecutionStatusAnnouncement execution={state.execution} />
          <Tabs
            label="Execution"
            selected={tab}
            onSelect={onTab}
            tabs={[
              { id: "details", label: "Details", panel: <ExecutionBody execution={state.execution} /> },
              { id: "logs", label: "Logs", panel: <ExecutionLogs execution={state.execution} /> },
            ]}
          />
        </div>
      );
  }
}

function titleOf(execution: ExecutionDto): string {
  return execution.jobId ? `Run of "${execution.jobName}"` : `Ad-hoc ${execution.type} run`;
}

function OperatorActions({ execution, update, onShow }: { execution: ExecutionDto; update: (changes: Partial<ExecutionDto>) => void; onShow: (id: string) => void }) {
  const commands = useExecutionCommands(execution, update);
  const stopping = execution.status === "RUNNING" && execution.cancelRequested;
  const cancelled = execution.status === "CANCELLED" && commands.cancelAsked;
  return (
    <>
      <CommandNotice notice={commands.notice} onShow={onShow} name={runName(execution)} />
      {isActive(execution.status) || cancelled ? (
        <Button variant="danger" busy={commands.cancelling || stopping || cancelled} onClick={commands.cancel} data-testid="cancel-execution">
          {cancelled ? "Cancelled" : stopping ? "Stopping…" : commands.cancelling ? "Cancelling…" : "Cancel run"}
        </Button>
      ) : null}
      <Button variant="secondary" busy={commands.rerunning} onClick={commands.rerun} data-testid="rerun-execution">
        {commands.rerunning ? "Queuing…" : "Re-run with same params"}
      </Button>
    </>
  );
}

/** The outcome of a re-run or cancel, beside the buttons (toasts sit behind a modal's backdrop). */
function CommandNotice({ notice, onShow, name }: { notice: Notice | null; onShow: (id: string) => void; name: string }) {
  if (!notice) return null;
  if (notice.kind === "error") {
    return (
      <p className="command-notice callout danger" role="alert">
        {notice.message}
      </p>
    );
  }
  return (
    <div className={`command-notice callout ${notice.warning ? "warn" : "info"}`} role="status" data-testid="rerun-notice">
      <p>
        Queued a new run of {name}: <code>{notice.executionId}</code>.{" "}
        <Button variant="ghost" size="small" onClick={() => onShow(notice.executionId)}>
          View the new run
        </Button>
      </p>
      {notice.warning ? (
        <p>
          <span aria-hidden="true">⚠ </span>
          {notice.warning}; this run was queued anyway.
        </p>
      ) : null}
    </div>
  );
}
