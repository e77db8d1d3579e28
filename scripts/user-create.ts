// npm run user:create -- --email someone@example.com --role admin [--name "Some One"]
// Asks for a password on a terminal (empty: generate one); without a terminal, generates one.
import { parseArgs } from "node:util";
import { createUser } from "@/lib/auth/users";
import { generatePassword } from "@/lib/auth/passwords";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rule";
import { RoleSchema } from "@/lib/auth/roles";
import { askHidden, CLI_ACTOR, runCli } from "./cli";

const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string", default: "viewer" }, name: { type: "string" } },
});

runCli(async () => {
  if (!values.email) throw new Error("Usage: npm run user:create -- --email you@example.com --role admin|operator|viewer [--name NAME]");
  const role = RoleSchema.parse(values.role);
  let password = process.stdin.isTTY ? await askHidden(`Password (at least ${PASSWORD_MIN_LENGTH} characters; empty to generate): `) : "";
  const generated = password === "";
  if (generated) password = generatePassword();
  const user = await createUser({ actor: CLI_ACTOR, input: { email: values.email, role, name: values.name, password } });
  console.log(`Created ${user.role} ${user.email}`);
  if (generated) console.log(`Password (shown once): ${password}`);
});
