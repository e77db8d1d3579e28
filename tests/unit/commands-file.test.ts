// The TICKWORK_COMMANDS file is checked at start like handler definitions: a bad file stops the
// app with a message naming the entry, and argv is filled one element per placeholder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fillArgv, loadCommands } from "@/lib/handlers/commands-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-commands-unit-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileWith(content: unknown): string {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const good = { description: "Dumps a database", argv: ["/usr/bin/pg_dump", "{db}"], args: { db: { pattern: "^[a-z_]+$", example: "shop" } } };

describe("loadCommands", () => {
  it("reads a valid file", () => {
    const commands = loadCommands(fileWith({ backup: good }));
    expect(Object.keys(commands)).toEqual(["backup"]);
    expect(commands.backup.env).toEqual({});
  });

  it.each([
    ["not JSON", "{", /cannot read .* as JSON/],
    ["no command", {}, /\(file\): the file lists no command/],
    ["a relative program", { backup: { ...good, argv: ["pg_dump", "{db}"] } }, /backup\.argv\.0: the program must be an absolute path/],
    ["an undeclared placeholder", { backup: { ...good, argv: ["/bin/echo", "{db}", "{table}"] } }, /backup\.argv\.2: \{table\} is not declared in args/],
    ["an unused arg", { backup: { ...good, argv: ["/bin/echo"] } }, /backup\.args\.db: declared but never used in argv/],
    ["a bad pattern", { backup: { ...good, args: { db: { pattern: "([a-z" } } } }, /backup\.args\.db\.pattern: not a valid regular expression/],
    ["a bad name", { "Back Up": good }, /Back Up: command names are lowercase/],
    ["an unknown field", { backup: { ...good, shell: true } }, /backup: Unrecognized key/],
    ["a relative cwd", { backup: { ...good, cwd: "srv" } }, /backup\.cwd: cwd must be an absolute path/],
  ])("refuses %s, naming the entry", (_what, content, message) => {
    expect(() => loadCommands(fileWith(content))).toThrow(message);
  });

  it("fills each placeholder into its own argv element, without a shell", () => {
    const commands = loadCommands(fileWith({ backup: { ...good, argv: ["/usr/bin/pg_dump", "--file=/srv/{db}.dump", "{db}"] } }));
    expect(fillArgv(commands.backup, { db: "shop; rm -rf /" })).toEqual(["/usr/bin/pg_dump", "--file=/srv/shop; rm -rf /.dump", "shop; rm -rf /"]);
  });
});
