// `npm start` on a fresh clone: build once if there is no production build yet.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

if (!existsSync(".next/BUILD_ID")) {
  console.log("No production build yet; running next build first (once).");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
