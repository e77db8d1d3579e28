export { listSecrets, setSecret, deleteSecret } from "./store";
export { assertKnownSecrets } from "./usage";
export * from "./schemas";
