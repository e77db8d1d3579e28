// npm run token:revoke -- --name ci-deployer   (or --id <uuid>)
// Revokes an API token at once; requests with it get 401 from then on.
import { parseArgs } from "node:util";
import { listTokens, revokeToken } from "@/lib/auth/tokens";
import { CLI_ACTOR, runCli } from "./cli";

const { values } = parseArgs({ options: { name: { type: "string" }, id: { type: "string" } } });

runCli(async () => {
  if (!values.name && !values.id) throw new Error("Usage: npm run token:revoke -- --name NAME (or --id ID)");
  const tokens = await listTokens({ actor: CLI_ACTOR });
  const matches = tokens.filter((token) => (values.id ? token.id === values.id : token.name === values.name) && !token.revokedAt);
  if (matches.length === 0) throw new Error("No active token with that name or id");
  if (matches.length > 1) throw new Error(`${matches.length} active tokens are named "${values.name}"; revoke one with --id: ${matches.map((t) => t.id).join(", ")}`);
  const revoked = await revokeToken({ actor: CLI_ACTOR, input: { id: matches[0].id } });
  console.log(`Revoked API token "${revoked.name}" (${revoked.prefix}…)`);
});
