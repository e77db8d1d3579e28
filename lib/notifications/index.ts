export { createChannel } from "./create";
export { updateChannel } from "./update";
export { deleteChannel } from "./delete";
export { channelsWatchingJob, getChannel, listChannels, watchableJobs } from "./list";
export { listDeliveries, retryDelivery } from "./deliveries";
export { testChannel } from "./test";
export * from "./schemas";
