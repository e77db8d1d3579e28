// Directories only this OS user may enter: the data directory holds the embedded database, its
// socket and the generated auth secret.
import fs from "node:fs";

const PRIVATE = 0o700;

/** Creates `dir` (and missing parents) as 0700, and takes group and other access off one that exists. */
export function ensurePrivateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE });
  const { mode } = fs.statSync(dir);
  if ((mode & 0o077) !== 0) fs.chmodSync(dir, PRIVATE);
  return dir;
}
