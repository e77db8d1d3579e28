export { deleteSecret, listSecretNames, listSecrets, listSecretsWithJobs, setSecret } from "./store";
export { assertKnownSecrets } from "./usage";
export * from "./schemas";
