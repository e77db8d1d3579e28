// Every handler, listed once. Adding one is a file beside this and a line here.
import { z } from "zod";
import { DomainError, validationError } from "@/lib/errors";
import { env } from "@/lib/env";
import { commandHandler } from "./command";
import { loadCommands } from "./commands-file";
import { demoSleep } from "./demo-sleep";
import { httpRequest } from "./http-request";
import { retention } from "./retention";
import type { JobHandler } from "./types";

// `command` exists only where an admin listed the commands jobs may run.
const HANDLERS: JobHandler[] = [
  httpRequest,
  demoSleep,
  retention,
  ...(env.TICKWORK_COMMANDS ? [commandHandler(loadCommands(env.TICKWORK_COMMANDS))] : []),
];

/** Checks every definition once, so a broken handler stops the app at start, not at 2 a.m. */
export function validateRegistry(handlers: JobHandler[] = HANDLERS): Map<string, JobHandler> {
  const byType = new Map<string, JobHandler>();
  for (const handler of handlers) {
    if (!/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)*$/.test(handler.type)) {
      throw new Error(`Handler type "${handler.type}" must look like "name" or "group.name"`);
    }
    if (byType.has(handler.type)) throw new Error(`Handler type "${handler.type}" is registered twice`);
    if (!handler.description.trim()) throw new Error(`Handler "${handler.type}" needs a description`);
    for (const [label, params] of [["defaultParams", handler.defaultParams], ...handler.examples.map((e) => [`example "${e.title}"`, e.params])]) {
      const parsed = handler.params.safeParse(params);
      if (!parsed.success) {
        throw new Error(`Handler "${handler.type}": ${label} do not match its schema: ${parsed.error.message}`);
      }
    }
    byType.set(handler.type, handler);
  }
  return byType;
}

const registry = validateRegistry();

export function getHandler(type: string): JobHandler | undefined {
  return registry.get(type);
}

export function listHandlers({ includeSystem = false } = {}): JobHandler[] {
  return [...registry.values()].filter((handler) => includeSystem || !handler.system);
}

/** Validates params for a handler type; errors name the field as `params.<path>`. */
export function parseParams(type: string, params: unknown, { allowSystem = false } = {}): Record<string, unknown> {
  const handler = registry.get(type);
  if (!handler || (handler.system && !allowSystem)) {
    throw new DomainError("VALIDATION_FAILED", `Unknown job type "${type}"`, {
      field: "params",
      details: [{ path: "type", message: `Use one of: ${listHandlers().map((h) => h.type).join(", ")}` }],
    });
  }
  const parsed = handler.params.safeParse(params ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues, ["params"], `Invalid params for ${type}`);
  const problems = handler.check?.(parsed.data) ?? [];
  if (problems.length > 0) throw validationError(problems, ["params"], `Invalid params for ${type}`);
  return parsed.data as Record<string, unknown>;
}

export const DefinitionSchema = z.object({
  type: z.string(),
  description: z.string(),
  examples: z.array(z.object({ title: z.string(), params: z.unknown() })),
  defaultParams: z.unknown(),
  paramsSchema: z.record(z.string(), z.unknown()).describe("JSON Schema (draft 2020-12) of params"),
});
export type Definition = z.infer<typeof DefinitionSchema>;

let cachedDefinitions: Definition[] | undefined;

/** The handlers users may pick, with JSON Schemas; built once, as the registry never changes after start. */
export function definitions(): Definition[] {
  cachedDefinitions ??= buildDefinitions();
  return cachedDefinitions;
}

function buildDefinitions(): Definition[] {
  return listHandlers().map((handler) => ({
    type: handler.type,
    description: handler.description,
    examples: handler.examples,
    defaultParams: handler.defaultParams,
    // A plain-JSON copy: zod's output is not a plain object, and the console passes it to client components.
    paramsSchema: JSON.parse(JSON.stringify(z.toJSONSchema(handler.params, { io: "input" }))) as Record<string, unknown>,
  }));
}
