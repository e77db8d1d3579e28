"use server";
// The console's notification channels (Settings → Notifications): the same schemas and services as
// /api/channels, through lib/actions.
import { z } from "zod";
import { action } from "@/lib/actions/action";
import {
  ChannelInput,
  ChannelPatch,
  createChannel,
  deleteChannel,
  DeliveryQuery,
  listDeliveries,
  retryDelivery,
  testChannel,
  updateChannel,
} from "@/lib/notifications";

const SETTINGS = ["/settings", "/audit"];
const Ref = z.strictObject({ id: z.uuid() });

// Create a channel; its signing secret is in this answer and nowhere else (admin)
export const createChannelAction = action({ name: "channels.create", role: "admin", input: ChannelInput, revalidate: SETTINGS }, ({ actor, input }) =>
  createChannel({ actor, input }),
);

// Change a channel's fields, or enable and disable it (admin)
export const updateChannelAction = action(
  { name: "channels.update", role: "admin", input: ChannelPatch.extend(Ref.shape), revalidate: SETTINGS },
  ({ actor, input: { id, ...patch } }) => updateChannel({ actor, input: { id, patch } }),
);

// Delete a channel and its delivery log (admin)
export const deleteChannelAction = action({ name: "channels.delete", role: "admin", input: Ref, revalidate: SETTINGS }, ({ actor, input }) =>
  deleteChannel({ actor, input }),
);

// Send a test now; the answer has the endpoint's status or the connection error (admin)
export const testChannelAction = action({ name: "channels.test", role: "admin", input: Ref }, ({ actor, input }) => testChannel({ actor, input }));

// A page of a channel's deliveries, newest first (operator)
export const listDeliveriesAction = action(
  { name: "channels.deliveries", role: "operator", input: DeliveryQuery.extend({ channelId: z.uuid() }) },
  ({ actor, input }) => listDeliveries({ actor, input }),
);

// Send a failed delivery again with five new attempts (admin)
export const retryDeliveryAction = action(
  { name: "channels.retry_delivery", role: "admin", input: z.strictObject({ channelId: z.uuid(), deliveryId: z.uuid() }) },
  ({ actor, input }) => retryDelivery({ actor, input }),
);
