// npm run token:list – API tokens with their role, prefix, last use and whether they are revoked.
import { listTokens } from "@/lib/auth/tokens";
import { CLI_ACTOR, runCli } from "./cli";

runCli(async () => {
  const tokens = await listTokens({ actor: CLI_ACTOR });
  if (tokens.length === 0) return void console.log("No API tokens yet: npm run token:create -- --name NAME --role ROLE");
  for (const token of tokens) {
    const state = token.revokedAt ? `revoked ${token.revokedAt}` : `last used ${token.lastUsedAt ?? "never"}`;
    console.log(`${token.id}  ${token.prefix}…  ${token.role.padEnd(8)}  ${token.name}  (${state})`);
  }
});
