export { getMaintenance, activeWindow } from "./get";
export { setMaintenance } from "./set";
export { clearMaintenance } from "./clear";
export * from "./schemas";
