// command: runs one of the commands an admin listed in TICKWORK_COMMANDS, with argv filled from
// checked args (no shell), in a process group of its own. stdout and stderr go to the run log line
// by line; exit 0 succeeds with { exitCode, durationMs }, anything else fails EXIT_CODE with the
// last stderr lines. Cancel, timeout and shutdown SIGTERM the whole group, then SIGKILL it after
// the grace period; the handler returns only once no process of the group is left.
import { spawn } from "node:child_process";
import readline from "node:readline";
import { z } from "zod";
import { resolveSecrets } from "@/lib/secrets/resolve";
import { fillArgv, wholeMatch, type Commands } from "./commands-file";
import { groupAlive, stopGroup } from "./process-group";
import { HandlerError } from "./errors";
import type { JobHandler } from "./types";

const STDERR_TAIL_LINES = 20;
/** What the command gets of the app's environment: never its secrets (AUTH_SECRET, DATABASE_URL…). */
const PASSED_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"];

function paramsFor(commands: Commands) {
  const variants = Object.entries(commands).map(([name, command]) =>
    z
      .strictObject({
        command: z.literal(name).describe(command.description),
        args: z
          .strictObject(
            Object.fromEntries(
              Object.entries(command.args).map(([arg, spec]) => {
                const field = z.string().max(4096).regex(wholeMatch(spec.pattern), `must match ${spec.pattern}`);
                return [arg, spec.description ? field.describe(spec.description) : field];
              }),
            ),
          )
          .default({} as never),
      })
      .describe(command.description),
  );
  const [first, ...rest] = variants;
  return rest.length === 0 ? first : z.discriminatedUnion("command", [first, ...rest]);
}

/** One example per command whose args all have an example; the first is the default. */
function examplesFor(commands: Commands) {
  const examples = Object.entries(commands)
    .filter(([, command]) => Object.values(command.args).every((arg) => arg.example !== undefined))
    .map(([name, command]) => ({
      title: `${name}: ${command.description}`,
      params: { command: name, args: Object.fromEntries(Object.entries(command.args).map(([arg, spec]) => [arg, spec.example!])) },
    }));
  if (examples.length === 0) {
    throw new Error("TICKWORK_COMMANDS: give every arg of at least one command an \"example\" (the console starts new jobs from it)");
  }
  return examples;
}

type CommandParams = { command: string; args: Record<string, string> };

export function commandHandler(commands: Commands) {
  const params = paramsFor(commands) as unknown as z.ZodType<CommandParams, CommandParams>;
  const examples = examplesFor(commands);
  return {
    type: "command",
    description: `Runs a command an admin listed (${Object.keys(commands).join(", ")}), with checked args and no shell; its output is the run's log.`,
    examples,
    defaultParams: examples[0].params,
    params,
    stopsItself: true,
    async run({ params: { command: name, args }, signal, log, progress, stopGraceMs }) {
      const command = commands[name];
      const argv = fillArgv(command, args);
      // {{secrets.NAME}} in the file's env is resolved here, in the worker; what the command prints is scrubbed of the values.
      const secrets = await resolveSecrets(command.env);
      const env: Record<string, string | undefined> = {};
      for (const key of PASSED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key];
      Object.assign(env, secrets.params);
      signal.throwIfAborted();
      const started = Date.now();
      progress(0, `Running ${name}`);
      const child = spawn(argv[0], argv.slice(1), { cwd: command.cwd, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      const spawned = new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
      const stderrTail: string[] = [];
      const lines = (stream: NodeJS.ReadableStream, level: "stdout" | "stderr") =>
        new Promise<void>((resolve) => {
          const reader = readline.createInterface({ input: stream, crlfDelay: Infinity });
          reader.on("line", (raw) => {
            const line = secrets.scrub(raw);
            log.output(level, line);
            if (level === "stderr") {
              stderrTail.push(line);
              if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
            }
          });
          reader.once("close", resolve);
        });
      const output = Promise.all([lines(child.stdout!, "stdout"), lines(child.stderr!, "stderr")]);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, exitSignal) => resolve({ code, signal: exitSignal })),
      );
      try {
        await spawned;
      } catch (error) {
        throw new HandlerError("EXIT_CODE", `Could not start ${argv[0]}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const pgid = child.pid!;
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= stopGroup(pgid, stopGraceMs);
      };
      signal.addEventListener("abort", stop, { once: true });
      try {
        const exit = await exited;
        await output;
        // The command exited, but what it started in its group may still run: the run ends only when the group is gone.
        if (signal.aborted || groupAlive(pgid)) stop();
        await stopping;
        signal.throwIfAborted();
        if (exit.code === 0) {
          progress(100, `${name} exited 0`);
          return { exitCode: 0, durationMs: Date.now() - started };
        }
        const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with ${exit.code}`;
        const tail = stderrTail.length > 0 ? `:\n${stderrTail.join("\n")}` : "";
        throw new HandlerError("EXIT_CODE", `${name} ${how}${tail}`);
      } finally {
        signal.removeEventListener("abort", stop);
      }
    },
  } satisfies JobHandler<typeof params>;
}
