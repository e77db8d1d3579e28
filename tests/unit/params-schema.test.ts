// The params reference's reading of a handler's JSON Schema: plain fields, and the `command`
// handler's union (one choice per listed command, with its description and its args' patterns).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeParams, type PropertySchema } from "@/components/jobs/params-schema";
import { commandHandler } from "@/lib/handlers/command";
import { demoSleep } from "@/lib/handlers/demo-sleep";
import type { Commands } from "@/lib/handlers/commands-file";

const schemaOf = (params: z.ZodType) => JSON.parse(JSON.stringify(z.toJSONSchema(params, { io: "input" }))) as PropertySchema;

const COMMANDS: Commands = {
  "backup-db": {
    description: "pg_dump one database",
    argv: ["/usr/bin/pg_dump", "--file=/srv/backups/{db}.dump", "{db}"],
    args: { db: { pattern: "[a-z_]+", description: "Database name", example: "shop" } },
    env: {},
  },
  "daily-report": {
    description: "Builds yesterday's report",
    argv: ["/srv/reports/bin/daily", "--region", "{region}"],
    args: { region: { pattern: "eu|us|apac", example: "eu" } },
    env: {},
  },
  uptime: { description: "Prints the uptime", argv: ["/usr/bin/uptime"], args: {}, env: {} },
};

describe("describeParams", () => {
  it("lists a plain handler's fields with types, defaults and descriptions", () => {
    const shape = describeParams(schemaOf(demoSleep.params));
    expect(shape.kind).toBe("fields");
    if (shape.kind !== "fields") return;
    expect(shape.fields.find((field) => field.name === "steps")).toMatchObject({ type: "integer", default: 5, required: false });
    expect(shape.fields.find((field) => field.name === "fail")?.description).toContain("Throw an error");
  });

  it("lists each command with its description and its args' patterns as written", () => {
    const shape = describeParams(schemaOf(commandHandler(COMMANDS).params));
    expect(shape).toEqual({
      kind: "choices",
      key: "command",
      choices: [
        { value: "backup-db", description: "pg_dump one database", fields: [{ name: "args.db", type: "string", required: true, description: "Database name", default: undefined, pattern: "[a-z_]+" }] },
        { value: "daily-report", description: "Builds yesterday's report", fields: [{ name: "args.region", type: "string", required: true, description: undefined, default: undefined, pattern: "eu|us|apac" }] },
        { value: "uptime", description: "Prints the uptime", fields: [] },
      ],
    });
  });

  it("treats a file with a single command as one choice, not as plain fields", () => {
    const shape = describeParams(schemaOf(commandHandler({ "backup-db": COMMANDS["backup-db"] }).params));
    expect(shape).toMatchObject({ kind: "choices", key: "command", choices: [{ value: "backup-db", fields: [{ name: "args.db", pattern: "[a-z_]+" }] }] });
  });
});
