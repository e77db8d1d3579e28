// Shared bits of the command-line tools: they work against DATABASE_URL, or the embedded database
// (through the running app's loopback server when it is up, else by opening it themselves).
import readline from "node:readline/promises";
import { disconnectPrisma } from "@/lib/db";
import { SYSTEM_ACTOR, type Actor } from "@/lib/auth/roles";

export const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, name: `cli:${process.env.USER ?? "unknown"}` };

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
    await disconnectPrisma();
    process.exit(0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const details = (error as { details?: { path: string; message: string }[] }).details;
    console.error(`Error: ${message}`);
    for (const detail of details ?? []) console.error(`  ${detail.path}: ${detail.message}`);
    await disconnectPrisma().catch(() => undefined);
    process.exit(1);
  }
}

/** Asks a question without echoing the answer (for passwords). */
export async function askHidden(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void; output: NodeJS.WriteStream };
  let asked = false;
  output._writeToOutput = (text: string) => {
    if (!asked) {
      output.output.write(text);
      asked = true;
    }
  };
  const answer = await rl.question(question);
  rl.close();
  process.stdout.write("\n");
  return answer;
}
