"use server";
// The console's secrets store: the same schemas and services as /api/secrets, through lib/actions.
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { deleteSecret, listSecretNames, SecretInput, SecretName, setSecret } from "@/lib/secrets";

const SETTINGS = ["/settings", "/audit"];

// Add a secret or replace its value (admin); the value is never shown again
export const setSecretAction = action({ name: "secrets.set", role: "admin", input: SecretInput, revalidate: SETTINGS }, ({ actor, input }) =>
  setSecret({ actor, input }),
);

// Delete a secret no live job uses (admin); CONFLICT names the jobs that do
export const deleteSecretAction = action(
  { name: "secrets.delete", role: "admin", input: z.strictObject({ name: SecretName }), revalidate: SETTINGS },
  ({ actor, input }) => deleteSecret({ actor, input }),
);

// The secret names, for {{secrets.NAME}} completion in the job form (operator)
export const secretNamesAction = action({ name: "secrets.names", role: "operator", input: z.strictObject({}) }, ({ actor }) => listSecretNames({ actor }));
