export { createJob } from "./create";
export { updateJob } from "./update";
export { deleteJob } from "./delete";
export { setJobEnabled } from "./set-enabled";
export { resetJob } from "./reset";
export { getJob, type JobDetailDto } from "./get";
export { listJobs } from "./list";
export * from "./schemas";
