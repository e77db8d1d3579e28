// The commands an admin allows jobs to run: a JSON file named by TICKWORK_COMMANDS, read and
// checked once at start like the handler definitions (a bad file stops the app, and the error
// names the entry). Jobs pick a command by name and fill its declared args; they never give argv.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9_]*)\}/g;

const ArgSpec = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .refine((pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    }, "not a valid regular expression")
    .describe("Every value must match it as a whole"),
  description: z.string().max(500).optional(),
  example: z.string().max(4096).optional(),
});

const CommandSpec = z
  .strictObject({
    description: z.string().min(1).max(1000),
    argv: z.array(z.string().min(1).max(4096)).min(1).max(256),
    args: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, "arg names are letters, digits and _"), ArgSpec).default({}),
    cwd: z.string().refine((dir) => path.isAbsolute(dir), "cwd must be an absolute path").optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "not an environment variable name"), z.string().max(8192)).default({}),
  })
  .superRefine((command, context) => {
    if (!path.isAbsolute(command.argv[0])) {
      context.addIssue({ code: "custom", path: ["argv", 0], message: "the program must be an absolute path (no PATH lookup)" });
    }
    const used = new Set<string>();
    command.argv.forEach((part, index) => {
      for (const [, name] of part.matchAll(PLACEHOLDER)) {
        used.add(name);
        if (!(name in command.args)) context.addIssue({ code: "custom", path: ["argv", index], message: `{${name}} is not declared in args` });
      }
    });
    for (const name of Object.keys(command.args)) {
      if (!used.has(name)) context.addIssue({ code: "custom", path: ["args", name], message: "declared but never used in argv" });
    }
  });

const CommandsFile = z.record(z.string(), CommandSpec).superRefine((file, context) => {
  for (const name of Object.keys(file)) {
    if (!NAME.test(name)) context.addIssue({ code: "custom", path: [name], message: "command names are lowercase letters, digits, '.', '_' and '-'" });
  }
  if (Object.keys(file).length === 0) context.addIssue({ code: "custom", path: [], message: "the file lists no command" });
});

export type CommandSpec = z.infer<typeof CommandSpec>;
export type Commands = Record<string, CommandSpec>;

/** Reads and checks the file; throws an Error naming the file and the entry that is wrong. */
export function loadCommands(file: string): Commands {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`TICKWORK_COMMANDS: cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = CommandsFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.length ? issue.path.join(".") : "(file)"}: ${issue.message}`);
    throw new Error(`TICKWORK_COMMANDS: ${file} is not a valid commands file:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

/** The argv with each {arg} placeholder replaced by its value: one argv element each, no shell. */
export function fillArgv(command: CommandSpec, args: Record<string, string>): string[] {
  return command.argv.map((part) => part.replace(PLACEHOLDER, (_match, name: string) => args[name]));
}

/** An arg pattern applied to the whole value, whatever anchors the file wrote. */
export const wholeMatch = (pattern: string) => new RegExp(`^(?:${pattern})$`);
