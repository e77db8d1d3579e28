// A child process in a process group of its own, so that cancel, timeout and shutdown reach
// everything it started (a shell's children too): SIGTERM to the group, SIGKILL after the grace
// period, and "gone" only once no live process is left in the group.
import fs from "node:fs";

/** Sends `signal` to every process of the group; false when none is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while a process of the group is alive. On Linux, /proc tells zombies (dead, waiting for a
 * parent that may never reap them) from the living; elsewhere, signal 0 to the group.
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return signalGroup(pgid, 0 as unknown as NodeJS.Signals);
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses: read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/** Resolves once the group has no live process, polling; false if it outlived `timeoutMs`. */
export async function waitForGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** SIGTERM to the group, SIGKILL if it is still alive after `graceMs`; resolves when it is gone. */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, "SIGTERM")) return;
  if (await waitForGroupGone(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  // After SIGKILL only the kernel's cleanup is left; keep killing whatever the group forks meanwhile.
  while (!(await waitForGroupGone(pgid, 1000))) signalGroup(pgid, "SIGKILL");
}
