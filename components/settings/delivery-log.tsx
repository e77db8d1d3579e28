"use client";
// A channel's recent deliveries (newest 20), loaded when opened and after a test: what each said,
// its status, attempts and last error, and Retry for a failed one (five new attempts).
import { startTransition, useCallback, useEffect, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { useAnnounce } from "@/components/ui/live-region";
import { RelativeTime } from "@/components/ui/relative-time";
import { listDeliveriesAction, retryDeliveryAction } from "@/lib/actions/notifications";
import type { ChannelDto, DeliveryDto } from "@/lib/notifications/schemas";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";

const PAGE_SIZE = 20;

export function DeliveryLog({ channel, serverNow, refreshKey }: { channel: ChannelDto; serverNow: number; refreshKey: string }) {
  const announce = useAnnounce();
  const [state, setState] = useState<{ items: DeliveryDto[]; total: number } | { error: string } | null>(null);

  const load = useCallback(() => {
    startTransition(async () => {
      const result = await listDeliveriesAction({ channelId: channel.id, page: 1, pageSize: PAGE_SIZE });
      setState(result.ok ? { items: result.data.items, total: result.data.total } : { error: describeActionError(result.error) });
    });
  }, [channel.id]);

  useEffect(load, [load, refreshKey]);

  function retry(delivery: DeliveryDto) {
    startTransition(async () => {
      const result = await retryDeliveryAction({ channelId: channel.id, deliveryId: delivery.id });
      if (!result.ok) {
        toastActionError("Could not retry the delivery", result.error);
        announce(`Could not retry the delivery. ${describeActionError(result.error)}`);
        return;
      }
      toast.success("Delivery queued again", { description: "It gets five new attempts." });
      announce("Delivery queued again");
      load();
    });
  }

  if (state === null) return <p className="muted" aria-busy="true">Loading deliveries…</p>;
  if ("error" in state) return <p className="callout danger">Could not load the deliveries: {state.error}</p>;
  return (
    <div className="delivery-log" data-testid="delivery-log">
      <div className="toolbar">
        <h3>
          Deliveries of {channel.name} <span className="muted small">({state.total === 0 ? "none yet" : `newest ${Math.min(PAGE_SIZE, state.total)} of ${state.total}`})</span>
        </h3>
        <Button variant="secondary" size="small" onClick={load}>
          Refresh<span className="sr-only"> deliveries of {channel.name}</span>
        </Button>
      </div>
      {state.items.length === 0 ? null : (
        <DataTable className="settings-table deliveries-table" caption={`Deliveries of ${channel.name}, newest first`} columns={["When", "Notification", "Status", "Attempts", "Last error", { hidden: "Actions" }]}>
          {state.items.map((delivery) => (
            <tr key={delivery.id} data-delivery-id={delivery.id}>
              <td className="cell-when">
                <RelativeTime iso={delivery.createdAt} serverNow={serverNow} />
              </td>
              <td>
                <span className="muted small">{delivery.event}</span> {delivery.summary}
                {delivery.suppressed > 0 ? <span className="muted small"> (+{delivery.suppressed} identical)</span> : null}
              </td>
              <td>
                <DeliveryStatus delivery={delivery} />
              </td>
              <td>{delivery.attempts}</td>
              <td className="cell-error">{delivery.lastError ?? <span className="muted">—</span>}</td>
              <td className="cell-actions">
                {delivery.status === "failed" && delivery.event !== "test" ? (
                  <Button variant="secondary" size="small" onClick={() => retry(delivery)}>
                    Retry<span className="sr-only"> delivery {delivery.summary}</span>
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

function DeliveryStatus({ delivery }: { delivery: DeliveryDto }) {
  if (delivery.status === "delivered") return <Badge tone="ok" icon="✓">Delivered{delivery.lastStatus ? ` (${delivery.lastStatus})` : ""}</Badge>;
  if (delivery.status === "failed") return <Badge tone="danger" icon="✕">Failed</Badge>;
  return <Badge tone="neutral" icon="…">{delivery.attempts === 0 ? "Pending" : "Retrying"}</Badge>;
}
