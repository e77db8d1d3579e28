// npm run token:create -- --name ci-deployer --role operator
// Prints the token once; only its hash is stored.
import { parseArgs } from "node:util";
import { createToken, TokenInput } from "@/lib/auth/tokens";
import { CLI_ACTOR, runCli } from "./cli";

const { values } = parseArgs({ options: { name: { type: "string" }, role: { type: "string", default: "viewer" } } });

runCli(async () => {
  const input = TokenInput.parse({ name: values.name, role: values.role });
  const { token, record } = await createToken({ actor: CLI_ACTOR, input });
  console.log(`Created API token "${record.name}" with role ${record.role}.`);
  console.log("Send it as: Authorization: Bearer <token>. It is shown only once:");
  console.log(token);
});
